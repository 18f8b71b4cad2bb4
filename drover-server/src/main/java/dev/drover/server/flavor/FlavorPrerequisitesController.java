package dev.drover.server.flavor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.render.FlavorPrerequisites;
import dev.drover.model.render.FleetSettings;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes each ClusterFlavor's {@code status.prerequisites}: what the management cluster and the cloud must provide for
 * its clusters to come up beyond what Drover renders (providers, feature gates, IAM, images, Secrets), so that an
 * operator reads them where the flavor is, not only in the docs. Woken by flavor spec changes.
 */
public final class FlavorPrerequisitesController implements Controller<ObjectKey> {

    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("flavor-prerequisites", Kinds.CLUSTER_FLAVOR,
            Set.of("observedGeneration", "prerequisites"), Set.of(), Set.of(), Optional.empty());

    private final StatusWriter statuses;
    private final Informer<ClusterFlavorSpec> flavors;
    private final FleetSettings settings;
    private final WorkQueue<ObjectKey> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));

    /** Registers its handler on the informer, so construct it before it starts. */
    public FlavorPrerequisitesController(StatusWriter statuses, Informer<ClusterFlavorSpec> flavors, FleetSettings settings) {
        this.statuses = statuses;
        this.flavors = flavors;
        this.settings = settings;
        statuses.register(OWNER);
        flavors.addHandler((before, after) -> after.filter(flavor -> before.isEmpty()
                || before.get().generation() != flavor.generation()).ifPresent(flavor -> queue.add(flavor.key())));
    }

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "flavor-prerequisites";
    }

    @Override
    public Set<ObjectKey> reconcile(List<ObjectKey> batch) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        for (ObjectKey key : batch) {
            flavors.get(key).filter(flavor -> !flavor.deleting()).ifPresent(flavor -> updates.add(decide(flavor, settings)));
        }
        statuses.write(OWNER, updates);
        return Set.of();
    }

    static StatusWriter.Update decide(CachedObject<ClusterFlavorSpec> flavor, FleetSettings settings) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("observedGeneration", Json.MAPPER.getNodeFactory().numberNode(flavor.generation()));
        fields.put("prerequisites", Json.MAPPER.valueToTree(FlavorPrerequisites.of(flavor.spec(), settings)));
        return new StatusWriter.Update(flavor.key(), fields, List.of(), Map.of(), StatusWriter.Finalizer.KEEP);
    }
}
