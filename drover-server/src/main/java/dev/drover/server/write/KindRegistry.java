package dev.drover.server.write;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.server.auth.Access;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that says how Drover serves each kind: besides what {@link Kind} holds (record, schema, scope, columns,
 * short names), its authorization scope, subresources, the finalizers it owns and its write rules (admission, read
 * hints, delete guards). Every kind of {@link Kinds#ALL} must be registered, once; anything else is a start-up error.
 */
public final class KindRegistry {

    public static final String STATUS = "status";
    public static final String PROMOTE = "promote";
    public static final String PLAN = "plan";
    public static final String SCAN = "scan";
    public static final String SCAFFOLD = "scaffold";

    /** How one kind is served. */
    record Registration(Kind kind, Access access, Set<String> subresources, List<String> finalizers, KindRules rules) {

        Registration {
            requireNonNull(kind, "kind is null");
            requireNonNull(access, "access is null");
            subresources = Set.copyOf(subresources);
            finalizers = List.copyOf(finalizers);
            requireNonNull(rules, "rules is null");
        }
    }

    private final Map<Kind, Registration> registrations = new LinkedHashMap<>();
    private final SpecCache specs;

    KindRegistry(SpecCache specs, List<Registration> entries) {
        this.specs = specs;
        for (Registration entry : entries) {
            if (registrations.put(entry.kind(), entry) != null) {
                throw new IllegalStateException("kind " + entry.kind().kind() + " is registered twice");
            }
        }
        for (Kind kind : Kinds.ALL) {
            if (!registrations.containsKey(kind)) {
                throw new IllegalStateException("kind " + kind.kind() + " is served but has no registration");
            }
        }
        if (registrations.size() != Kinds.ALL.size()) {
            throw new IllegalStateException("a registered kind is not in Kinds.ALL: " + registrations.keySet());
        }
    }

    /** Drover's kinds; {@code clock} is the time admission checks a Cluster's new TTL against. */
    public static KindRegistry standard(java.time.Clock clock) {
        var specs = new SpecCache();
        return new KindRegistry(specs, List.of(
                new Registration(Kinds.TEAM, Access.TEAM_ITSELF, Set.of(STATUS), List.of(), new TeamRules(specs)),
                new Registration(Kinds.CLUSTER_FLAVOR, Access.PLATFORM_SHARED, Set.of(STATUS), List.of(), new ClusterFlavorRules()),
                new Registration(Kinds.CLUSTER, Access.TEAM_NAMESPACED, Set.of(STATUS), List.of(Kinds.FLEET_FINALIZER),
                        new ClusterRules(specs, clock)),
                new Registration(Kinds.ADDON_PROFILE, Access.PLATFORM_SHARED, Set.of(STATUS, PROMOTE), List.of(),
                        new AddonProfileRules(specs)),
                new Registration(Kinds.PRICE_BOOK, Access.PLATFORM_SHARED, Set.of(STATUS), List.of(), new PriceBookRules(specs)),
                new Registration(Kinds.CAMPAIGN, Access.PLATFORM_SHARED, Set.of(STATUS, PLAN), List.of(Kinds.CAMPAIGN_FINALIZER),
                        new CampaignRules()),
                new Registration(Kinds.IP_POOL, Access.PLATFORM_SHARED, Set.of(STATUS), List.of(), new IPPoolRules(specs)),
                new Registration(Kinds.INTEGRATION, Access.PLATFORM_SHARED, Set.of(STATUS), List.of(), new IntegrationRules()),
                new Registration(Kinds.APP_TEMPLATE, Access.PLATFORM_SHARED, Set.of(STATUS), List.of(), new AppTemplateRules(specs)),
                new Registration(Kinds.APPLICATION, Access.TEAM_NAMESPACED, Set.of(STATUS, PROMOTE, SCAN, SCAFFOLD), List.of(),
                        new ApplicationRules(specs))));
    }

    /** Each kind's authorization scope, for the {@link dev.drover.server.auth.Authorizer}. */
    public Map<Kind, Access> access() {
        Map<Kind, Access> access = new LinkedHashMap<>();
        registrations.forEach((kind, registration) -> access.put(kind, registration.access()));
        return access;
    }

    public boolean hasSubresource(Kind kind, String subresource) {
        return registration(kind).subresources().contains(subresource);
    }

    /** @throws IllegalStateException for a kind that is not registered: it must never be handled as another kind */
    Registration registration(Kind kind) {
        Registration registration = registrations.get(kind);
        if (registration == null) {
            throw new IllegalStateException("kind " + kind.kind() + " is not registered");
        }
        return registration;
    }

    /** The stored specs the rules bind, shared with the write path. */
    SpecCache specs() {
        return specs;
    }
}
