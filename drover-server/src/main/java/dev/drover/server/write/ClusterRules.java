package dev.drover.server.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Named;
import dev.drover.model.api.PriceBookSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.cost.BudgetCheck;
import dev.drover.model.cost.ClusterCost;
import dev.drover.model.cost.CostInputs;
import dev.drover.model.cost.FleetCost;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.MaintenanceWindows;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import dev.drover.model.validation.ClusterAdmission;
import dev.drover.model.validation.LifetimeAdmission;
import dev.drover.model.validation.VersionAdmission;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ReadHints;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.UsageScope;
import dev.drover.server.store.WriteTransaction;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Clusters: checked against their team, flavor, node quota, add-on profiles and budget, all read in the write
 * transaction; a dry run answers with the estimate.
 */
final class ClusterRules implements KindRules {

    static final String MAX_NODES = "maxNodes";

    private final SpecCache specs;
    private final Clock clock;

    ClusterRules(SpecCache specs, Clock clock) {
        this.specs = specs;
        this.clock = clock;
    }

    /** What a team's Clusters count against its node quota. */
    static UsageScope nodeUsage(String team) {
        return new UsageScope(Kinds.CLUSTER.kind(), team, MAX_NODES);
    }

    /** What a team's Clusters cost per month, in cents, against its budget. */
    static UsageScope costUsage(String team) {
        return new UsageScope(Kinds.CLUSTER.kind(), team, CostAttribute.MONTHLY_COST_CENTS);
    }

    /** The object, its team, its flavor and the team's node usage. */
    @Override
    public ReadHints reads(ObjectKey key, ObjectNode object) {
        return new ReadHints(List.of(key, new ObjectKey(Kinds.TEAM.kind(), "", key.namespace()),
                new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", object.path("spec").path("flavor").asText(""))),
                List.of(nodeUsage(key.namespace())));
    }

    @Override
    public boolean admitsUnchangedDryRuns() {
        return true;
    }

    /**
     * spec.maintenance.immediate commits changes that roll machines outside the windows the platform set: an emergency
     * override for platform admins. A team may keep or remove one an admin set, not set it.
     */
    private static void requireAdminForImmediate(String name, ClusterSpec cluster, Optional<ClusterSpec> previous, Principal by) {
        boolean asked = MaintenanceWindows.immediate(cluster);
        boolean had = previous.map(MaintenanceWindows::immediate).orElse(false);
        if (asked && !had && !(by instanceof Principal.PlatformAdmin)) {
            throw ApiException.invalid(Kinds.CLUSTER, name, List.of(FieldError.forbidden("spec.maintenance.immediate",
                    "only platform admins may commit changes outside the maintenance windows; ask one for this emergency "
                            + "override, or let the change wait for the next window (status.maintenance.nextWindow)")));
        }
    }

    @Override
    public Admitted admit(Request request) {
        WriteTransaction transaction = request.transaction();
        String namespace = request.namespace();
        String name = request.name();
        ClusterSpec cluster = Json.bind(request.spec(), ClusterSpec.class);
        StoredObject teamObject = transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", namespace)).orElseThrow();
        var team = new Named<>(namespace, specs.parsed(teamObject, TeamSpec.class).spec());
        Optional<Named<ClusterFlavorSpec>> flavor = transaction
                .get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.flavor()))
                .map(stored -> new Named<>(cluster.flavor(), specs.parsed(stored, ClusterFlavorSpec.class).spec()));
        WriteTransaction.Usage usage = transaction.usage(nodeUsage(namespace), name);
        Optional<ClusterSpec> previousSpec = request.previous().map(stored -> specs.parsed(stored, ClusterSpec.class).spec());
        requireAdminForImmediate(name, cluster, previousSpec, request.by());
        // Profiles are read only when the Cluster makes add-on choices to check against them.
        SortedMap<String, AddonProfileSpec> profiles = cluster.addons().isPresent()
                ? specs.all(transaction, Kinds.ADDON_PROFILE, AddonProfileSpec.class) : new TreeMap<>();
        ClusterAdmission.Admitted admitted = ClusterAdmission.admit(name, cluster, previousSpec, team, flavor,
                new ClusterAdmission.TeamUsage((int) usage.count(), (int) Math.min(Integer.MAX_VALUE, usage.sum())),
                request.userLabels(), profiles);
        // The flavor exists: admission refuses a Cluster naming none.
        VersionAdmission.check(name, cluster.kubernetesVersion(), admitted.spec(), previousSpec, cluster.flavor(),
                flavor.orElseThrow().spec(), clock.instant());
        var lifetime = LifetimeAdmission.admit(name, admitted.spec(), previousSpec, request.previous().map(ClusterRules::created),
                clock.instant(), Lifetime.limits(admitted.spec().environment(), flavor.orElseThrow(), team));
        ClusterSpec spec = lifetime.spec();
        SortedMap<String, PriceBookSpec> books = specs.all(transaction, Kinds.PRICE_BOOK, PriceBookSpec.class);
        ClusterCost estimate = estimate(transaction, new ClusterId(namespace, name), team, spec, books);
        long previousCents = request.previous()
                .map(stored -> stored.attributes().getOrDefault(CostAttribute.MONTHLY_COST_CENTS, 0L)).orElse(0L);
        long othersCents = transaction.usage(costUsage(namespace), name).sum();
        List<String> warnings = new java.util.ArrayList<>(lifetime.warnings());
        warnings.addAll(BudgetCheck.check(name, namespace, team.spec(), estimate, CostAttribute.amount(previousCents),
                CostAttribute.amount(othersCents), books.values().stream().map(PriceBookSpec::currency).findFirst(),
                request.dryRun()));
        return new Admitted(Json.toTree(spec), admitted.labels(),
                Map.of(MAX_NODES, (long) spec.maxNodes(), CostAttribute.MONTHLY_COST_CENTS, CostAttribute.cents(estimate)),
                warnings);
    }

    private static java.time.Instant created(StoredObject stored) {
        return java.time.Instant.parse(Json.parseObject(stored.json()).path("metadata").path("creationTimestamp").asText());
    }

    /**
     * The cluster's estimate from what the transaction sees: its team, flavor, the price books and, for a virtual
     * cluster, its host. The shares other virtual clusters take of a host are settled by the cost controller.
     */
    private ClusterCost estimate(WriteTransaction transaction, ClusterId id, Named<TeamSpec> team, ClusterSpec spec,
                                 SortedMap<String, PriceBookSpec> books) {
        SortedMap<String, ClusterFlavorSpec> flavors = new TreeMap<>();
        SortedMap<ClusterId, ClusterSpec> clusters = new TreeMap<>(Map.of(id, spec));
        ClusterFlavorSpec flavor = flavorSpec(transaction, spec.flavor()).orElseThrow();
        flavors.put(spec.flavor(), flavor);
        if (flavor.provider() == Provider.VCLUSTER) {
            FlavorSettings.setting(flavor, spec, FlavorSettings.HOST_CLUSTER).ifPresent(hostName -> {
                String hostTeam = FlavorSettings.setting(flavor, spec, FlavorSettings.HOST_CLUSTER_NAMESPACE).orElse(id.team());
                transaction.get(new ObjectKey(Kinds.CLUSTER.kind(), hostTeam, hostName)).ifPresent(host -> {
                    ClusterSpec hostSpec = specs.parsed(host, ClusterSpec.class).spec();
                    flavorSpec(transaction, hostSpec.flavor()).ifPresent(hostFlavor -> {
                        flavors.put(hostSpec.flavor(), hostFlavor);
                        clusters.put(new ClusterId(hostTeam, hostName), hostSpec);
                    });
                });
            });
        }
        var inputs = new CostInputs(new TreeMap<>(Map.of(team.name(), team.spec())), flavors, books, clusters, clock.instant());
        return FleetCost.cluster(inputs, id).orElseThrow();
    }

    private Optional<ClusterFlavorSpec> flavorSpec(WriteTransaction transaction, String name) {
        return transaction.get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", name))
                .map(stored -> specs.parsed(stored, ClusterFlavorSpec.class).spec());
    }
}
