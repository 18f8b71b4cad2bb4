package dev.drover.server.environment;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.Named;
import dev.drover.model.api.Provider;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.ScheduleMemo;
import dev.drover.model.error.ApiException;
import dev.drover.server.api.CostLedger;
import dev.drover.server.auth.Principal;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.ClockedPass;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
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
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes environments clean up after themselves: turns each Cluster's spec.ttl into status.expiresAt with warnings a
 * day and an hour before (the Expiring condition, an Event each), deletes it through the public delete path when the
 * TTL has run out (never a host of virtual clusters), and decides from spec.hibernation whether it is hibernated now
 * (status.hibernation, the Hibernated condition), which the fleet reconciler renders. A whole-fleet pass, like cost:
 * every pass evaluates every Cluster with a TTL or a schedule from the clock (level-triggered, so a pass after an
 * outage catches up on what it missed), then sleeps until the next due time or the resync period.
 */
public final class EnvironmentController implements Controller<ClockedPass.Work> {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentController.class);

    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("environment", Kinds.CLUSTER,
            Set.of("expiresAt", "hibernation"), Set.of(EnvironmentDecisions.EXPIRING, EnvironmentDecisions.HIBERNATED), Set.of(),
            Optional.empty(), Set.of(EnvironmentDecisions.EXPIRING), Set.of(EnvironmentDecisions.EXPIRING),
            Set.of(EnvironmentDecisions.HIBERNATED));
    /** Deletes of expired clusters are Drover's own, as the platform. */
    private static final Principal DROVER = new Principal.PlatformAdmin("drover-environment");

    private final StatusWriter statuses;
    private final ResourceWriter writer;
    private final CostLedger ledger;
    private final Informer<TeamSpec> teams;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<ClusterSpec> clusters;
    private final ClockedPass pass;
    /** Used on the controller's thread only: a pass decides again only the schedules whose window opened or closed. */
    private final ScheduleMemo schedules = new ScheduleMemo();

    /** Registers its handlers on the informers, so construct it before they start. */
    public EnvironmentController(StatusWriter statuses, ResourceWriter writer, CostLedger ledger, Informer<TeamSpec> teams,
                                 Informer<ClusterFlavorSpec> flavors, Informer<ClusterSpec> clusters, Clock clock, Duration resync) {
        this.statuses = statuses;
        this.writer = writer;
        this.ledger = ledger;
        this.teams = teams;
        this.flavors = flavors;
        this.clusters = clusters;
        this.pass = new ClockedPass(clock, resync);
        statuses.register(OWNER);
        teams.addHandler(pass.onSpecChange());
        flavors.addHandler(pass.onSpecChange());
        clusters.addHandler(pass.onSpecChange());
    }

    public WorkQueue<ClockedPass.Work> queue() {
        return pass.queue();
    }

    @Override
    public String name() {
        return "environment";
    }

    @Override
    public Set<ClockedPass.Work> reconcile(List<ClockedPass.Work> batch) {
        Instant now = pass.begin();
        // Observe.
        List<ClusterEnvironment> environments = observe();
        // Decide.
        List<StatusWriter.Update> updates = new ArrayList<>();
        List<ObjectKey> expired = new ArrayList<>();
        Map<ClusterId, String> savingsNotReal = new HashMap<>();
        for (ClusterEnvironment cluster : environments) {
            EnvironmentDecisions.Decision decision = EnvironmentDecisions.decide(cluster, now, schedules);
            if (pass.changed(decision.update())) {
                updates.add(decision.update());
            }
            decision.savingNotReal().ifPresent(why ->
                    savingsNotReal.put(new ClusterId(cluster.key().namespace(), cluster.key().name()), why));
            if (decision.delete()) {
                expired.add(cluster.key());
            }
            pass.due(decision.nextDue());
        }
        // Act: the status first, so the Event saying why is there before the Cluster is marked for deletion.
        schedules.retain(pass.decidedKeys());
        statuses.write(OWNER, updates);
        ledger.publishSavingsNotReal(savingsNotReal);
        pass.end();
        for (ObjectKey key : expired) {
            try {
                writer.delete(DROVER, new ResourceWriter.Target(Kinds.CLUSTER, key.namespace(), key.name()),
                        ResourceWriter.DeleteOptions.NONE);
                LOG.info("cluster {}/{} expired: deleting it", key.namespace(), key.name());
            } catch (ApiException refused) {
                // Gone meanwhile, or refused: the next pass decides again.
                LOG.warn("deleting expired cluster {}/{} failed: {}", key.namespace(), key.name(), refused.getMessage());
            }
        }
        return Set.of();
    }

    /** Every Cluster the controller has something to say about, with its limits and the virtual clusters it hosts. */
    private List<ClusterEnvironment> observe() {
        Map<String, ClusterFlavorSpec> flavorSpecs = flavors.specsByName();
        Map<String, TeamSpec> teamSpecs = teams.specsByName();
        Map<ObjectKey, TreeSet<String>> hosted = new HashMap<>();
        java.util.Collection<CachedObject<ClusterSpec>> all = clusters.list();
        for (CachedObject<ClusterSpec> cluster : all) {
            ClusterFlavorSpec flavor = flavorSpecs.get(cluster.spec().flavor());
            if (flavor != null && flavor.provider() == Provider.VCLUSTER) {
                FlavorSettings.setting(flavor, cluster.spec(), FlavorSettings.HOST_CLUSTER).ifPresent(host -> {
                    String hostTeam = FlavorSettings.setting(flavor, cluster.spec(), FlavorSettings.HOST_CLUSTER_NAMESPACE)
                            .orElse(cluster.namespace());
                    hosted.computeIfAbsent(new ObjectKey(Kinds.CLUSTER.kind(), hostTeam, host), ignored -> new TreeSet<>())
                            .add(cluster.namespace() + "/" + cluster.name());
                });
            }
        }
        List<ClusterEnvironment> environments = new ArrayList<>();
        for (CachedObject<ClusterSpec> cluster : all) {
            ClusterSpec spec = cluster.spec();
            // The kept status is JSON text: a key written before is looked for without parsing every Cluster's status.
            boolean mayConcern = spec.ttl().isPresent() || spec.hibernation().isPresent()
                    || cluster.statusJson().contains("\"expiresAt\":") || cluster.statusJson().contains("\"hibernation\":");
            if (!mayConcern) {
                continue;
            }
            ClusterFlavorSpec flavor = flavorSpecs.get(spec.flavor());
            TeamSpec team = teamSpecs.get(cluster.namespace());
            Lifetime.Limits limits = flavor == null || team == null ? Lifetime.Limits.NONE
                    : Lifetime.limits(spec.environment(), new Named<>(spec.flavor(), flavor), new Named<>(cluster.namespace(), team));
            var environment = new ClusterEnvironment(cluster.key(), spec, cluster.created(), cluster.generation(),
                    cluster.deleting(), limits, List.copyOf(hosted.getOrDefault(cluster.key(), new TreeSet<>())),
                    cluster.statusJson().isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : cluster.status());
            if (environment.concerned()) {
                environments.add(environment);
            }
        }
        return environments;
    }
}
