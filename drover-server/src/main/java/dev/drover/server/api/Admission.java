package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.resource.ClusterAdmission;
import dev.drover.model.resource.ClusterFlavorSpec;
import dev.drover.model.resource.ClusterSpec;
import dev.drover.model.resource.FlavorValidation;
import dev.drover.model.resource.Json;
import dev.drover.model.resource.Kind;
import dev.drover.model.resource.Kinds;
import dev.drover.model.resource.Named;
import dev.drover.model.resource.TeamSpec;
import dev.drover.model.resource.TeamValidation;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WriteTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * Kind-specific validation and defaulting of a spec, with the reads it needs (team, flavor, usage) done in
 * the write transaction so that checks and write see the same state.
 */
final class Admission {

    static final String MAX_NODES = "maxNodes";

    /** The canonical, defaulted spec; labels Drover owns on the object; numeric facts for later usage counts. */
    record Admitted(ObjectNode spec, Map<String, String> labels, Map<String, Long> attributes) {
    }

    private Admission() {
    }

    static Admitted admit(Kind kind, WriteTransaction transaction, String namespace, String name, ObjectNode spec,
                          Optional<StoredObject> previous) {
        if (kind == Kinds.TEAM) {
            TeamSpec team = Json.bind(spec, TeamSpec.class);
            TeamValidation.check(name, team);
            return new Admitted(Json.toTree(team), Map.of(), Map.of());
        }
        if (kind == Kinds.CLUSTER_FLAVOR) {
            ClusterFlavorSpec flavor = Json.bind(spec, ClusterFlavorSpec.class);
            FlavorValidation.check(name, flavor);
            return new Admitted(Json.toTree(flavor), Map.of(), Map.of());
        }
        return admitCluster(transaction, namespace, name, spec, previous);
    }

    private static Admitted admitCluster(WriteTransaction transaction, String namespace, String name, ObjectNode spec,
                                         Optional<StoredObject> previous) {
        ClusterSpec cluster = Json.bind(spec, ClusterSpec.class);
        StoredObject teamObject = transaction.get(new ObjectKey(Kinds.TEAM.kind(), "", namespace)).orElseThrow();
        var team = new Named<>(namespace, Json.bind(Json.parseObject(teamObject.json()).path("spec"), TeamSpec.class));
        Optional<Named<ClusterFlavorSpec>> flavor = transaction
                .get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.flavor()))
                .map(stored -> new Named<>(cluster.flavor(),
                        Json.bind(Json.parseObject(stored.json()).path("spec"), ClusterFlavorSpec.class)));
        int clusters = 0;
        long nodes = 0;
        for (StoredObject other : transaction.summaries(Kinds.CLUSTER.kind(), namespace).values()) {
            if (!other.name().equals(name)) {
                clusters++;
                nodes += other.attributes().getOrDefault(MAX_NODES, 0L);
            }
        }
        Optional<ClusterSpec> previousSpec = previous.map(stored ->
                Json.bind(Json.parseObject(stored.json()).path("spec"), ClusterSpec.class));
        ClusterAdmission.Admitted admitted = ClusterAdmission.admit(name, cluster, previousSpec, team, flavor,
                new ClusterAdmission.TeamUsage(clusters, (int) Math.min(Integer.MAX_VALUE, nodes)));
        return new Admitted(Json.toTree(admitted.spec()), admitted.labels(),
                Map.of(MAX_NODES, (long) admitted.spec().maxNodes()));
    }
}
