package dev.drover.server.write;

import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.ipam.AddressPlan;
import dev.drover.model.ipam.AddressRange;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.IPPoolValidation;
import dev.drover.server.store.AddressAllocations;
import dev.drover.server.store.WriteTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IPPools: valid on their own, overlapping no other pool (an address in two pools could be handed out twice), never
 * shrunk below the addresses machines hold, and not deleted while any are held.
 */
final class IPPoolRules implements KindRules {

    /** Holders named in a refusal; the report lists them all. */
    private static final int NAMED = 5;

    private final SpecCache specs;

    IPPoolRules(SpecCache specs) {
        this.specs = specs;
    }

    @Override
    public Admitted admit(Request request) {
        IPPoolSpec pool = Json.bind(request.spec(), IPPoolSpec.class);
        AddressPlan plan = IPPoolValidation.check(request.name(), pool);
        for (Map.Entry<String, IPPoolSpec> other : specs.all(request.transaction(), Kinds.IP_POOL, IPPoolSpec.class).entrySet()) {
            if (other.getKey().equals(request.name())) {
                continue;
            }
            Optional<AddressRange> shared = plan.overlap(AddressPlan.of(other.getValue()));
            if (shared.isPresent()) {
                throw ApiException.invalid(Kinds.IP_POOL, request.name(), List.of(FieldError.invalid("spec.addresses",
                        pool.addresses(), "overlaps IPPool \"" + other.getKey() + "\" at " + shared.get() + "; an address in "
                                + "two pools could be handed out twice, so exclude the shared addresses from one of them")));
            }
        }
        if (request.previous().isPresent()) {
            List<String> outside = AddressAllocations.heldOutside(request.transaction(), request.name(), plan);
            if (!outside.isEmpty()) {
                throw ApiException.invalid(Kinds.IP_POOL, request.name(), List.of(FieldError.invalid("spec.addresses",
                        pool.addresses(), outside.size() + " address(es) in use would fall outside the pool: "
                                + named(outside) + "; remove those machines first (`drover ipam report --pool "
                                + request.name() + "` lists every holder)")));
            }
        }
        return new Admitted(Json.toTree(pool));
    }

    @Override
    public void beforeDelete(WriteTransaction transaction, String name) {
        List<String> held = AddressAllocations.held(transaction, name);
        if (!held.isEmpty()) {
            throw ApiException.conflict(Kinds.IP_POOL, name, "machines hold " + held.size() + " of its address(es): "
                    + named(held) + "; delete their clusters or move their flavor to another pool first");
        }
    }

    private static String named(List<String> holders) {
        return String.join(", ", holders.subList(0, Math.min(NAMED, holders.size())))
                + (holders.size() > NAMED ? " and " + (holders.size() - NAMED) + " more" : "");
    }
}
