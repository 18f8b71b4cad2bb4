package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("How long clusters may live: the longest spec.ttl, and the environments whose clusters must set one.")
public record LifetimePolicy(
        @Pattern(value = ClusterSpec.DURATION, meaning = "a duration in hours and minutes such as 336h")
        @Doc("Longest lifetime a cluster may ask for in spec.ttl, counted from its creation, for example 336h. A longer "
                + "request at creation is cut to it; an extension beyond it is refused. Unset: no limit.")
        Optional<String> maximumTtl,
        @ListSet @Doc("Environments whose clusters must set spec.ttl, for example [development, sandbox].")
        List<String> ttlRequiredIn) {

    public LifetimePolicy {
        maximumTtl = Values.option(maximumTtl);
        ttlRequiredIn = Values.list(ttlRequiredIn);
    }
}
