package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.cost.BudgetCheck;
import dev.drover.model.cost.ClusterCost;
import dev.drover.model.cost.CostInputs;
import dev.drover.model.cost.FleetCost;
import dev.drover.model.render.ClusterId;
import dev.drover.model.render.FlavorSettings;
import dev.drover.model.resource.AddonProfileSpec;
import dev.drover.model.resource.AddonProfileValidation;
import dev.drover.model.resource.ClusterAdmission;
import dev.drover.model.resource.ClusterFlavorSpec;
import dev.drover.model.resource.ClusterSpec;
import dev.drover.model.resource.FlavorValidation;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kind;
import dev.drover.model.resource.Kinds;
import dev.drover.model.resource.Named;
import dev.drover.model.resource.PriceBookSpec;
import dev.drover.model.resource.PriceBookValidation;
import dev.drover.model.resource.Provider;
import dev.drover.model.resource.TeamSpec;
import dev.drover.model.resource.TeamValidation;
import dev.drover.server.cost.CostAttribute;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.UsageScope;
import dev.drover.server.store.WriteTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kind-specific validation and defaulting of a spec, with the reads it needs (team, flavor, usage) done in
 * the write transaction so that checks and write see the same state.
 */
final class Admission {

    static final String MAX_NODES = "maxNodes";

    /**
     * The canonical, defaulted spec; labels Drover owns on the object; numeric facts for later usage counts; warnings
     * for the response.
     */
    record Admitted(ObjectNode spec, Map<String, String> labels, Map<String, Long> attributes, List<String> warnings) {
        Admitted(ObjectNode spec) {
            this(spec, Map.of(), Map.of(), List.of());
        }
    }

    /** What a team's Clusters count against its node quota. */
    static UsageScope nodeUsage(String team) {
        return new UsageScope(Kinds.CLUSTER.kind(), team, MAX_NODES);
    }

    /** What a team's Clusters cost per month, in cents, against its budget. */
    static UsageScope costUsage(String team) {
        return new UsageScope(Kinds.CLUSTER.kind(), team, CostAttribute.MONTHLY_COST_CENTS);
    }

    /** The spec of a stored object, bound once per resource version, and whether it is being deleted. */
    record Parsed<S>(S spec, boolean deleting) {
    }

    private static final int CACHE_LIMIT = 10_000;

    private final Map<String, Parsed<?>> parsedByVersion = new ConcurrentHashMap<>();

    /** The stored object's spec as a record; cached, because every Cluster admission reads its team and flavor. */
    @SuppressWarnings("unchecked")
    <S> Parsed<S> parsed(StoredObject stored, Class<S> specType) {
        String key = stored.kind() + "/" + stored.namespace() + "/" + stored.name() + "@" + stored.resourceVersion();
        Parsed<?> known = parsedByVersion.get(key);
        if (known != null) {
            return (Parsed<S>) known;
        }
        ObjectNode object = Json.parseObject(stored.json());
        var parsed = new Parsed<>(Json.bind(object.path("spec"), specType), object.path("metadata").has("deletionTimestamp"));
        if (parsedByVersion.size() >= CACHE_LIMIT) {
            parsedByVersion.clear();
        }
        parsedByVersion.put(key, parsed);
        return parsed;
    }

    /** @param userLabels the labels the request sets on the object */
    /**
     * @param userLabels the labels the request sets on the object
     * @param dryRun whether the write is a dry run, which answers with the cluster's estimate
     */
    Admitted admit(Kind kind, WriteTransaction transaction, String namespace, String name, ObjectNode spec,
                   Optional<StoredObject> previous, Map<String, String> userLabels, boolean dryRun) {
        if (kind == Kinds.TEAM) {
            TeamSpec team = Json.bind(spec, TeamSpec.class);
            TeamValidation.check(name, team);
            Currencies.checkTeam(name, team, all(transaction, Kinds.PRICE_BOOK, PriceBookSpec.class));
            return new Admitted(Json.toTree(team));
        }
        if (kind == Kinds.CLUSTER_FLAVOR) {
            ClusterFlavorSpec flavor = Json.bind(spec, ClusterFlavorSpec.class);
            FlavorValidation.check(name, flavor);
            return new Admitted(Json.toTree(flavor));
        }
        if (kind == Kinds.PRICE_BOOK) {
            PriceBookSpec book = Json.bind(spec, PriceBookSpec.class);
            PriceBookValidation.check(name, book);
            SortedMap<String, PriceBookSpec> others = all(transaction, Kinds.PRICE_BOOK, PriceBookSpec.class);
            others.remove(name);
            Currencies.checkPriceBook(name, book, others, all(transaction, Kinds.TEAM, TeamSpec.class));
            return new Admitted(Json.toTree(book));
        }
        if (kind == Kinds.ADDON_PROFILE) {
            AddonProfileSpec profile = Json.bind(spec, AddonProfileSpec.class);
            Set<String> environments = new TreeSet<>();
            Set<String> variables = new TreeSet<>();
            for (ClusterFlavorSpec flavor : all(transaction, Kinds.CLUSTER_FLAVOR, ClusterFlavorSpec.class).values()) {
                environments.addAll(flavor.environments());
                flavor.variables().forEach(variable -> variables.add(variable.name()));
            }
            AddonProfileValidation.check(name, profile, environments, variables);
            return new Admitted(Json.toTree(profile));
        }
        return admitCluster(transaction, namespace, name, spec, previous, userLabels, dryRun);
    }

    /** Every object of a cluster-scoped kind, by name; for the kinds there are few of. */
    <S> SortedMap<String, S> all(WriteTransaction transaction, Kind kind, Class<S> specType) {
        SortedMap<String, S> specs = new TreeMap<>();
        for (String name : transaction.names(kind.kind(), "")) {
            transaction.get(new ObjectKey(kind.kind(), "", name)).ifPresent(stored -> specs.put(name, parsed(stored, specType).spec()));
        }
        return specs;
    }

    private Admitted admitCluster(WriteTransaction transaction, String namespace, String name, ObjectNode spec,
                                  Optional<StoredObject> previous, Map<String, String> userLabels, boolean dryRun) {
        ClusterSpec cluster = Json.bind(spec, ClusterSpec.class);
        StoredObject teamObject = transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", namespace)).orElseThrow();
        var team = new Named<>(namespace, parsed(teamObject, TeamSpec.class).spec());
        Optional<Named<ClusterFlavorSpec>> flavor = transaction
                .get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.flavor()))
                .map(stored -> new Named<>(cluster.flavor(), parsed(stored, ClusterFlavorSpec.class).spec()));
        WriteTransaction.Usage usage = transaction.usage(nodeUsage(namespace), name);
        Optional<ClusterSpec> previousSpec = previous.map(stored -> parsed(stored, ClusterSpec.class).spec());
        // Profiles are read only when the Cluster makes add-on choices to check against them.
        SortedMap<String, AddonProfileSpec> profiles = cluster.addons().isPresent()
                ? all(transaction, Kinds.ADDON_PROFILE, AddonProfileSpec.class) : new TreeMap<>();
        ClusterAdmission.Admitted admitted = ClusterAdmission.admit(name, cluster, previousSpec, team, flavor,
                new ClusterAdmission.TeamUsage((int) usage.count(), (int) Math.min(Integer.MAX_VALUE, usage.sum())),
                userLabels, profiles);
        SortedMap<String, PriceBookSpec> books = all(transaction, Kinds.PRICE_BOOK, PriceBookSpec.class);
        ClusterCost estimate = estimate(transaction, new ClusterId(namespace, name), team, admitted.spec(), books);
        long previousCents = previous.map(stored -> stored.attributes().getOrDefault(CostAttribute.MONTHLY_COST_CENTS, 0L)).orElse(0L);
        long othersCents = transaction.usage(costUsage(namespace), name).sum();
        List<String> warnings = BudgetCheck.check(name, namespace, team.spec(), estimate, CostAttribute.amount(previousCents),
                CostAttribute.amount(othersCents), books.values().stream().map(PriceBookSpec::currency).findFirst(), dryRun);
        return new Admitted(Json.toTree(admitted.spec()), admitted.labels(),
                Map.of(MAX_NODES, (long) admitted.spec().maxNodes(), CostAttribute.MONTHLY_COST_CENTS, CostAttribute.cents(estimate)),
                warnings);
    }

    /**
     * The cluster's estimate from what the transaction sees: its team, flavor, the price books and, for a virtual
     * cluster, its host. The shares other virtual clusters take of a host are settled by the reconciler.
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
                    ClusterSpec hostSpec = parsed(host, ClusterSpec.class).spec();
                    flavorSpec(transaction, hostSpec.flavor()).ifPresent(hostFlavor -> {
                        flavors.put(hostSpec.flavor(), hostFlavor);
                        clusters.put(new ClusterId(hostTeam, hostName), hostSpec);
                    });
                });
            });
        }
        var inputs = new CostInputs(new TreeMap<>(Map.of(team.name(), team.spec())), flavors, books, clusters);
        return FleetCost.compute(inputs).clusters().get(id);
    }

    private Optional<ClusterFlavorSpec> flavorSpec(WriteTransaction transaction, String name) {
        return transaction.get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", name))
                .map(stored -> parsed(stored, ClusterFlavorSpec.class).spec());
    }
}
