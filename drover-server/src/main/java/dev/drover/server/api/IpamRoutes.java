package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.AddressAllocations;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who holds which address of Drover's IPPools: {@code GET /drover/v1/ipam/allocations?pool=&team=&cluster=&released=}
 * and the trail of one address, {@code GET /drover/v1/ipam/history?pool=&address=}. Platform admins see every team's;
 * a team member sees the teams' own.
 */
final class IpamRoutes {

    static final String ALLOCATIONS_PATH = "/drover/v1/ipam/allocations";
    static final String HISTORY_PATH = "/drover/v1/ipam/history";

    private final AddressAllocations allocations;

    IpamRoutes(AddressAllocations allocations) {
        this.allocations = allocations;
    }

    void allocations(Context context, Principal principal) {
        Optional<String> team = parameter(context, "team");
        if (principal instanceof Principal.TeamMember member) {
            if (team.isEmpty() && member.teams().size() == 1) {
                team = Optional.of(member.teams().first());
            }
            if (team.isEmpty() || !member.teams().contains(team.get())) {
                throw ApiException.forbidden(principal.describe() + " may read the addresses of its own team only; ask with "
                        + "team=" + String.join(" or team=", member.teams()));
            }
        } else if (!(principal instanceof Principal.PlatformAdmin)) {
            throw ApiException.forbidden(principal.describe() + " cannot read IP allocations");
        }
        boolean released = parameter(context, "released").map(Boolean::parseBoolean).orElse(false);
        var query = new AddressAllocations.Query(parameter(context, "pool"), team, parameter(context, "cluster"), released);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("kind", "IPAllocationList");
        var items = body.putArray("items");
        for (AddressAllocations.Allocation allocation : allocations.list(query)) {
            ObjectNode item = items.addObject();
            item.put("pool", allocation.pool());
            item.put("address", allocation.address());
            holder(item, allocation.holder());
            item.put("allocatedAt", allocation.allocatedAt().toString());
            allocation.releasedAt().ifPresent(at -> item.put("releasedAt", at.toString()));
        }
        ResourceRoutes.respondJson(context, 200, body);
    }

    void history(Context context, Principal principal) {
        if (!(principal instanceof Principal.PlatformAdmin)) {
            throw ApiException.forbidden("the history of an address is forbidden: " + principal.describe() + " cannot read it; "
                    + "only platform-admin tokens can");
        }
        String pool = parameter(context, "pool").orElseThrow(() -> ApiException.badRequest("give pool= and address="));
        String address = parameter(context, "address").orElseThrow(() -> ApiException.badRequest("give pool= and address="));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("kind", "IPAllocationHistory");
        var items = body.putArray("items");
        for (AddressAllocations.LogEntry entry : allocations.history(pool, address)) {
            ObjectNode item = items.addObject();
            item.put("at", entry.at().toString());
            item.put("action", entry.action());
            item.put("pool", entry.pool());
            item.put("address", entry.address());
            holder(item, entry.holder());
        }
        ResourceRoutes.respondJson(context, 200, body);
    }

    private static void holder(ObjectNode item, AddressAllocations.Holder holder) {
        item.put("team", holder.team());
        item.put("cluster", holder.cluster());
        item.put("environment", holder.environment());
        item.put("machine", holder.machine());
        item.put("claim", holder.claimNamespace() + "/" + holder.claimName());
        item.put("claimUid", holder.claimUid());
        item.put("managementCluster", holder.managementCluster());
    }

    private static Optional<String> parameter(Context context, String name) {
        return Optional.ofNullable(context.queryParam(name)).filter(value -> !value.isEmpty());
    }
}
