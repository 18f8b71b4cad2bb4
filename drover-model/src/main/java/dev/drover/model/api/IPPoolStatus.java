package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("Observed state of an IPPool, written by Drover's IPAM controller.")
public record IPPoolStatus(
        @Doc("The metadata.generation that this status describes.") Optional<Long> observedGeneration,
        @Doc("Ready: whether the pool hands out addresses (False with PoolExhausted when none is free, or PoolNotReady while "
                + "the management cluster lacks its mirror).") @ListMap("type") List<Condition> conditions,
        @Doc("Addresses the pool hands out; IPv6 counts beyond 2^63 are written as 9223372036854775807.") Optional<Long> total,
        @Doc("Addresses held by claims, or resting after their release.") Optional<Long> used,
        @Doc("Addresses free to hand out.") Optional<Long> free,
        @Doc("used/total, as the Usage column shows it.") Optional<String> summary,
        @ListMap("name") @Doc("Held addresses per team.") List<Usage> teams,
        @ListMap("name") @Doc("Held addresses per environment.") List<Usage> environments) {

    public IPPoolStatus {
        observedGeneration = Values.option(observedGeneration);
        conditions = Values.list(conditions);
        total = Values.option(total);
        used = Values.option(used);
        free = Values.option(free);
        summary = Values.option(summary);
        teams = Values.list(teams);
        environments = Values.list(environments);
    }

    @Doc("Addresses held by one team or environment.")
    public record Usage(@Required @Doc("Team or environment.") String name, @Required @Doc("Addresses held.") Long used) {
    }
}
