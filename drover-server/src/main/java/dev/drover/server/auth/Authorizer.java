package dev.drover.server.auth;

import dev.drover.model.resource.ApiException;
import dev.drover.model.resource.Kind;
import dev.drover.model.resource.Kinds;
import java.util.Optional;

/**
 * What a principal may do. Platform admins may do everything. A team member may read and write Clusters in
 * the team's namespace, read ClusterFlavors, AddonProfiles and PriceBooks, and read its own Team.
 */
public final class Authorizer {

    /** A request as authorization sees it. */
    public record Request(String verb, Kind kind, Optional<String> namespace, Optional<String> name) {
    }

    /** @throws ApiException Forbidden naming the token, verb, resource and namespace refused */
    public void check(Principal principal, Request request) {
        if (principal instanceof Principal.PlatformAdmin) {
            return;
        }
        var member = (Principal.TeamMember) principal;
        String team = member.team();
        Kind kind = request.kind();
        boolean reading = request.verb().equals("get") || request.verb().equals("list") || request.verb().equals("watch");
        if ((kind == Kinds.CLUSTER_FLAVOR || kind == Kinds.ADDON_PROFILE || kind == Kinds.PRICE_BOOK) && reading) {
            return;
        }
        if (kind == Kinds.TEAM && reading && request.name().map(team::equals).orElse(true)) {
            return;
        }
        if (kind == Kinds.CLUSTER && request.namespace().map(team::equals).orElse(false)) {
            return;
        }
        throw ApiException.forbidden(describeRefusal(member, request));
    }

    /** Whether a team member's list of Teams must be narrowed to its own Team. */
    public Optional<String> onlyTeamVisibleTo(Principal principal, Kind kind) {
        if (principal instanceof Principal.TeamMember member && kind == Kinds.TEAM) {
            return Optional.of(member.team());
        }
        return Optional.empty();
    }

    private static String describeRefusal(Principal.TeamMember member, Request request) {
        String target = request.kind().resourceGroup() + request.name().map(name -> " \"" + name + "\"").orElse("");
        String scope = request.namespace().map(namespace -> " in the namespace \"" + namespace + "\"")
                .orElse(request.kind().namespaced() ? " at the cluster scope (all namespaces)" : "");
        String hint = request.kind() == Kinds.CLUSTER
                ? "; team tokens may only use the namespace of their own team (\"" + member.team() + "\")"
                : "; only platform-admin tokens may change Teams, ClusterFlavors, AddonProfiles and PriceBooks";
        return target + " is forbidden: " + member.describe() + " cannot " + request.verb() + " " + target + scope + hint;
    }
}
