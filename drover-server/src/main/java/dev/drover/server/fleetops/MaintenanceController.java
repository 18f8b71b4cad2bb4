package dev.drover.server.fleetops;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.Principal;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.ClockedPass;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.write.FieldValidation;
import dev.drover.server.write.ResourceWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds changes that roll machines until a maintenance window: decides for each Cluster with windows (its own, its
 * Team's or its flavor's) which version, machine image and instance types the fleet repository gets
 * ({@code status.maintenance.applied}, which the fleet reconciler renders) and what waits for which window (the
 * MaintenancePending condition). A whole-fleet pass, woken by spec changes and at the next window's start or end.
 */
public final class MaintenanceController implements Controller<ClockedPass.Work> {

    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("maintenance", Kinds.CLUSTER, Set.of("maintenance"),
            Set.of(MaintenanceDecisions.MAINTENANCE_PENDING, MaintenanceDecisions.AUTO_UPDATE), Set.of(), Optional.empty(), Set.of(),
            Set.of(MaintenanceDecisions.MAINTENANCE_PENDING, MaintenanceDecisions.AUTO_UPDATE),
            Set.of(MaintenanceDecisions.MAINTENANCE_PENDING, MaintenanceDecisions.AUTO_UPDATE));
    /** Version updates are Drover's own, as the platform, through the public write path (admission applies). */
    private static final Principal DROVER = new Principal.PlatformAdmin("drover-maintenance");
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceController.class);

    private final StatusWriter statuses;
    private final ResourceWriter writer;
    private final Informer<TeamSpec> teams;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<ClusterSpec> clusters;
    private final ClockedPass pass;

    /** Registers its handlers on the informers, so construct it before they start. */
    public MaintenanceController(StatusWriter statuses, ResourceWriter writer, Informer<TeamSpec> teams,
                                 Informer<ClusterFlavorSpec> flavors, Informer<ClusterSpec> clusters, Clock clock, Duration resync) {
        this.statuses = statuses;
        this.writer = writer;
        this.teams = teams;
        this.flavors = flavors;
        this.clusters = clusters;
        this.pass = new ClockedPass(clock, resync);
        statuses.register(OWNER);
        teams.addHandler(pass.onSpecChange());
        flavors.addHandler(pass.onSpecChange());
        clusters.addHandler(pass.onSpecChange());
    }

    /** Moves the Cluster's spec.kubernetesVersion as a merge patch; a refusal is logged and decided again next pass. */
    private void updateVersion(ObjectKey key, String version) {
        var patch = Json.MAPPER.createObjectNode();
        patch.putObject("spec").put("kubernetesVersion", version);
        try {
            writer.patch(DROVER, new ResourceWriter.Target(Kinds.CLUSTER, key.namespace(), key.name()), ResourceWriter.PatchType.MERGE,
                    patch, false, new ResourceWriter.Options(false, FieldValidation.STRICT, "drover-maintenance"));
            LOG.info("cluster {}/{}: kubernetesVersion moved to {} in its maintenance window", key.namespace(), key.name(), version);
        } catch (ApiException refused) {
            LOG.warn("cluster {}/{}: moving kubernetesVersion to {} was refused: {}", key.namespace(), key.name(), version,
                    refused.getMessage());
        }
    }

    public WorkQueue<ClockedPass.Work> queue() {
        return pass.queue();
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public Set<ClockedPass.Work> reconcile(List<ClockedPass.Work> batch) {
        Instant now = pass.begin();
        Map<String, ClusterFlavorSpec> flavorSpecs = flavors.specsByName();
        Map<String, TeamSpec> teamSpecs = teams.specsByName();
        List<StatusWriter.Update> updates = new ArrayList<>();
        Map<ObjectKey, String> versionUpdates = new HashMap<>();
        for (CachedObject<ClusterSpec> cluster : clusters.list()) {
            ClusterFlavorSpec flavor = flavorSpecs.get(cluster.spec().flavor());
            Optional<TeamSpec> team = Optional.ofNullable(teamSpecs.get(cluster.namespace()));
            boolean hadStatus = cluster.statusJson().contains("\"maintenance\":");
            boolean windows = cluster.spec().maintenance().isPresent() || team.flatMap(TeamSpec::maintenance).isPresent()
                    || (flavor != null && flavor.maintenance().isPresent());
            if (flavor == null || cluster.deleting() || (!windows && !hadStatus)) {
                continue;
            }
            var decision = MaintenanceDecisions.decide(cluster.key(), cluster.generation(), cluster.spec(), cluster.spec().flavor(),
                    flavor, team, hadStatus ? cluster.status() : com.fasterxml.jackson.databind.node.MissingNode.getInstance(), now);
            pass.decided(decision.update(), decision.nextDue(), updates);
            decision.updateTo().ifPresent(version -> versionUpdates.put(cluster.key(), version));
        }
        statuses.write(OWNER, updates);
        pass.end();
        versionUpdates.forEach(this::updateVersion);
        return Set.of();
    }
}
