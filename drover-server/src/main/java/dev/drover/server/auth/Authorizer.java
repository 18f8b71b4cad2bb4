package dev.drover.server.auth;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.Kind;
import dev.drover.model.error.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a principal may do. Platform admins may do everything. A team member may do what each kind's {@link Access}
 * allows: read and write its own team's namespaced objects, read shared objects, read its own Team.
 */
public final class Authorizer {

    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

    /**
     * A request as authorization sees it.
     *
     * @param subresource the subresource asked for ({@code status}), or empty for the object itself
     */
    public record Request(String verb, Kind kind, Optional<String> namespace, Optional<String> name, String subresource) {

        /** A request of the object itself. */
        public Request(String verb, Kind kind, Optional<String> namespace, Optional<String> name) {
            this(verb, kind, namespace, name, "");
        }
    }

    private final Map<Kind, Access> accessByKind;

    /** @param accessByKind each registered kind's authorization scope */
    public Authorizer(Map<Kind, Access> accessByKind) {
        this.accessByKind = Map.copyOf(accessByKind);
    }

    /** @throws ApiException Forbidden naming the token, verb, resource and namespace refused */
    public void check(Principal principal, Request request) {
        Optional<String> refusal = refusal(principal, request);
        if (refusal.isPresent()) {
            throw ApiException.forbidden(refusal.get());
        }
    }

    /** Why the request would be refused, or empty when it is allowed; access reviews answer from this. */
    public Optional<String> refusal(Principal principal, Request request) {
        if (principal instanceof Principal.PlatformAdmin) {
            return Optional.empty();
        }
        var member = (Principal.TeamMember) principal;
        boolean reading = READ_VERBS.contains(request.verb());
        boolean allowed = switch (access(request.kind())) {
            case TEAM_NAMESPACED -> request.namespace().map(member::actsFor).orElse(false);
            case TEAM_ITSELF -> reading && request.name().map(member::actsFor).orElse(true);
            case PLATFORM_SHARED -> reading;
        };
        if (allowed && !reading && request.subresource().equals("status")) {
            // Status is what Drover observed and decided; a team writing it could forge Ready or a cost of 0.00 that
            // an admin's promotion gate and reports then trust.
            return Optional.of(request.kind().resourceGroup() + "/status" + request.name().map(name -> " \"" + name + "\"")
                    .orElse("") + " is forbidden: " + member.describe() + " cannot " + request.verb() + " the status "
                    + "subresource; status is written only by Drover's controllers and platform admins; change the spec "
                    + "instead");
        }
        return allowed ? Optional.empty() : Optional.of(describeRefusal(member, request));
    }

    /** The kind's authorization scope. */
    public Access access(Kind kind) {
        return requireNonNull(accessByKind.get(kind), () -> "kind " + kind.kind() + " has no registered access");
    }

    /** The names a principal's list of the kind must be narrowed to, for kinds of one object per team. */
    public Optional<Set<String>> onlyTeamsVisibleTo(Principal principal, Kind kind) {
        if (principal instanceof Principal.TeamMember member && access(kind) == Access.TEAM_ITSELF) {
            return Optional.of(member.teams());
        }
        return Optional.empty();
    }

    private String describeRefusal(Principal.TeamMember member, Request request) {
        String target = request.kind().resourceGroup() + request.name().map(name -> " \"" + name + "\"").orElse("");
        String scope = request.namespace().map(namespace -> " in the namespace \"" + namespace + "\"")
                .orElse(request.kind().namespaced() ? " at the cluster scope (all namespaces)" : "");
        String hint = access(request.kind()) == Access.TEAM_NAMESPACED
                ? "; team tokens may only use the namespace of their own team" + (member.teams().size() == 1 ? " (" : "s (")
                        + member.teamNames() + ")"
                : "; only platform-admin tokens may change " + adminWrittenKinds();
        return target + " is forbidden: " + member.describe() + " cannot " + request.verb() + " " + target + scope + hint;
    }

    private String adminWrittenKinds() {
        Set<String> kinds = new TreeSet<>();
        accessByKind.forEach((kind, access) -> {
            if (access != Access.TEAM_NAMESPACED) {
                kinds.add(kind.kind() + "s");
            }
        });
        return String.join(", ", kinds);
    }
}
