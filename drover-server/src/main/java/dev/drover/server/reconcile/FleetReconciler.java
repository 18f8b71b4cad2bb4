package dev.drover.server.reconcile;

import dev.drover.model.api.AddonProfileSpec;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.api.Provider;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.render.AppTemplateRevision;
import dev.drover.model.render.ApplicationRequest;
import dev.drover.model.render.ClusterRequest;
import dev.drover.model.render.FleetApplications;
import dev.drover.model.render.FleetSettings;
import dev.drover.model.render.FleetSnapshot;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.ControllerRunner;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.git.FleetRemote;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the fleet repository equal to the rendering of the store, one commit per batch: observe (the informers'
 * Teams, ClusterFlavors, AddonProfiles, Clusters, IPPools, AppTemplates and Applications), decide ({@link FleetPlanner}, pure), act (commit and push, then
 * the Clusters' status through the {@link StatusWriter}, releasing the finalizer of deleted ones). A Git or push failure
 * becomes Committed=False and the batch is retried with backoff; a cluster that cannot be rendered keeps its last files.
 */
public final class FleetReconciler implements Controller<WorkItem> {

    private static final Logger LOG = LoggerFactory.getLogger(FleetReconciler.class);
    /** The most work items one batch, so one commit, takes. */
    public static final int BATCH_LIMIT = 5_000;
    /** Between the batches of a burst, as long as the last batch took, at most a second. */
    public static final ControllerRunner.Pacing PACING = new ControllerRunner.Pacing(Duration.ZERO, Duration.ofSeconds(1));

    private final FleetRepository repository;
    private final FleetSettings settings;
    private final Optional<FleetRemote> remote;
    private final Timer commits;
    private final Counter commitFailures;
    private final Counter pushFailures;
    private final Clock clock;
    private final StatusWriter statuses;
    private final Informer<TeamSpec> teams;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<AddonProfileSpec> profiles;
    private final Informer<ClusterSpec> clusters;
    private final Informer<IPPoolSpec> pools;
    private final Informer<AppTemplateSpec> templates;
    private final Informer<ApplicationSpec> applications;
    private final WorkQueue<WorkItem> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    private final FleetTree tree;

    /** Registers its handlers on the informers, so construct it before they start. */
    public FleetReconciler(FleetRepository repository, FleetSettings settings, Optional<FleetRemote> remote, Clock clock,
                           MeterRegistry metrics, StatusWriter statuses, Informer<TeamSpec> teams, Informer<ClusterFlavorSpec> flavors,
                           Informer<AddonProfileSpec> profiles, Informer<ClusterSpec> clusters, Informer<IPPoolSpec> pools,
                           Informer<AppTemplateSpec> templates, Informer<ApplicationSpec> applications) {
        this.repository = repository;
        this.settings = settings;
        this.remote = remote;
        this.clock = clock;
        this.commits = Timer.builder("drover.fleet.commits").description("Commits to the fleet repository, and how long "
                + "each took").register(metrics);
        this.commitFailures = Counter.builder("drover.fleet.commit.failures").description("Commits to the fleet repository "
                + "that failed (nothing written; retried)").register(metrics);
        this.pushFailures = Counter.builder("drover.fleet.push.failures").description("Pushes to the Git remote that failed "
                + "(retried with backoff)").register(metrics);
        this.statuses = statuses;
        this.teams = teams;
        this.flavors = flavors;
        this.profiles = profiles;
        this.clusters = clusters;
        this.pools = pools;
        this.templates = templates;
        this.applications = applications;
        statuses.register(ClusterStatuses.OWNER);
        this.tree = FleetTree.of(repository.files());
        // Files of clusters that may be gone while Drover was down are looked at once.
        tree.clustersWithFiles().forEach(id -> queue.add(new WorkItem.ClusterFiles(id)));
        queue.add(new WorkItem.SharedFiles());
        teams.addHandler((before, after) -> {
            if (specChanged(before, after)) {
                String team = after.or(() -> before).orElseThrow().name();
                List<WorkItem> work = new ArrayList<>(work(clusters.withLabel(Kinds.LABEL_PREFIX + "team", team)));
                work.add(new WorkItem.SharedFiles());
                queue.addAll(work);
            }
        });
        flavors.addHandler((before, after) -> {
            if (specChanged(before, after)) {
                String flavor = after.or(() -> before).orElseThrow().name();
                queue.addAll(work(clusters.withLabel(Kinds.LABEL_PREFIX + "flavor", flavor)));
            }
        });
        profiles.addHandler((before, after) -> {
            if (specChanged(before, after)) {
                // Clusters the profile selected before or selects now, at once, so that one commit has them all.
                queue.addAll(work(clusters.list().stream().filter(cluster ->
                        before.map(profile -> profile.spec().selects(cluster.labels())).orElse(false)
                        || after.map(profile -> profile.spec().selects(cluster.labels())).orElse(false)).toList()));
            }
        });
        // Only vSphere machines take addresses (and their DNS servers) from a pool.
        pools.addHandler((before, after) -> {
            if (specChanged(before, after)) {
                queue.addAll(work(clusters.withLabel(Kinds.LABEL_PREFIX + "provider", Provider.VSPHERE.wireName())));
            }
        });
        // Every Application built to the template, in every cluster it runs in: one batch, so one commit.
        templates.addHandler((before, after) -> {
            if (specChanged(before, after) || before.isPresent() && after.isPresent()
                    && before.get().generation() != after.get().generation()) {
                String template = after.or(() -> before).orElseThrow().name();
                queue.addAll(applications.withLabel(Kinds.TEMPLATE_LABEL, template).stream()
                        .flatMap(application -> targets(application).stream()).distinct().toList());
            }
        });
        // The clusters an Application ran in and runs in now; a new canary weight is a change too.
        applications.addHandler((before, after) -> {
            if (specChanged(before, after) || !canaryWeight(before).equals(canaryWeight(after))) {
                Set<WorkItem> work = new java.util.LinkedHashSet<>();
                before.ifPresent(application -> work.addAll(targets(application)));
                after.ifPresent(application -> work.addAll(targets(application)));
                queue.addAll(List.copyOf(work));
            }
        });
        clusters.addHandler((before, after) -> {
            // A client that replaced the object without the fleet finalizer gets it back, or delete would not wait for Git.
            boolean finalizerLost = after.filter(cluster -> !cluster.deleting()
                    && !cluster.finalizers().contains(Kinds.FLEET_FINALIZER)).isPresent();
            // So are the environment and maintenance controllers' decisions: hibernation and the values that roll machines.
            boolean hibernationChanged = before.isPresent() && after.isPresent()
                    && (ClusterState.hibernated(before.get()) != ClusterState.hibernated(after.get())
                    || !ClusterState.applied(before.get()).equals(ClusterState.applied(after.get())));
            if (before.isEmpty() || after.isEmpty() || after.get().specOrLabelsDifferFrom(before.get()) || finalizerLost
                    || hibernationChanged) {
                queue.add(new WorkItem.ClusterFiles(clusterId(after.or(() -> before).orElseThrow().key())));
            }
        });
    }

    public WorkQueue<WorkItem> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public Set<WorkItem> reconcile(List<WorkItem> batch) {
        long started = System.nanoTime();
        // Observe.
        List<ClusterId> ids = new ArrayList<>();
        boolean sharedRequested = false;
        for (WorkItem item : batch) {
            switch (item) {
                case WorkItem.ClusterFiles(ClusterId id) -> ids.add(id);
                case WorkItem.SharedFiles() -> sharedRequested = true;
            }
        }
        Map<ClusterId, ClusterState> states = new HashMap<>();
        for (ClusterId id : ids) {
            clusters.get(key(id)).map(ClusterState::of).ifPresent(state -> states.put(id, state));
        }
        FleetSnapshot snapshot = snapshot(states);
        // Decide.
        FleetPlanner.Plan plan = FleetPlanner.plan(snapshot, ids, sharedRequested, states, tree);
        // Act.
        long planned = System.nanoTime();
        FleetPlanner.Acted acted = commitAndPush(plan, batch.size(), planned - started);
        statuses.write(ClusterStatuses.OWNER, FleetPlanner.statuses(plan, acted, ids, states, tree, repository.branch()));
        if (acted.gitFailure().isPresent()) {
            return Set.copyOf(batch);
        }
        Set<WorkItem> retry = new HashSet<>();
        plan.renderFailures().keySet().forEach(id -> retry.add(new WorkItem.ClusterFiles(id)));
        return retry;
    }

    private FleetPlanner.Acted commitAndPush(FleetPlanner.Plan plan, int items, long renderNanos) {
        Optional<String> commit = Optional.empty();
        if (!plan.changes().isEmpty()) {
            long committing = System.nanoTime();
            try {
                commit = repository.commit(plan.changes(), plan.message(), Instant.now(clock)).map(id -> id.name());
            } catch (RuntimeException failed) {
                commitFailures.increment();
                LOG.warn("commit to the fleet repository failed: {}", failed.toString());
                return new FleetPlanner.Acted(Optional.empty(), Optional.of(new ClusterReport.Problem("GitError",
                        "committing to the fleet repository failed: " + failed.getMessage() + "; nothing was written, retrying")),
                        head());
            }
            commits.record(System.nanoTime() - committing, java.util.concurrent.TimeUnit.NANOSECONDS);
            LOG.info("fleet batch: {} items, {} files changed, commit {}: rendered in {} ms, committed in {} ms",
                    items, plan.changes().size(), commit.orElse("none"), renderNanos / 1_000_000,
                    (System.nanoTime() - committing) / 1_000_000);
        }
        tree.committed(plan, commit);
        Optional<ClusterReport.Problem> pushFailure = remote.flatMap(target -> target.pushIfBehind(repository)
                .map(problem -> new ClusterReport.Problem("PushFailed", "the commit is in Drover's fleet repository but pushing it to "
                        + target.url() + " failed: " + problem + "; retrying with backoff")));
        pushFailure.ifPresent(failure -> pushFailures.increment());
        return new FleetPlanner.Acted(commit, pushFailure, commit.orElseGet(this::head));
    }

    private String head() {
        return repository.head().map(id -> id.name()).orElse("");
    }

    /** Teams, flavors, profiles and the batch's clusters not being deleted: all a batch renders from. */
    private FleetSnapshot snapshot(Map<ClusterId, ClusterState> states) {
        var requests = new TreeMap<ClusterId, ClusterRequest>();
        states.forEach((id, state) -> {
            if (!state.deleting()) {
                requests.put(id, new ClusterRequest(id, state.renderedSpec(), state.renderedLabels(), state.hibernated(),
                        state.applied().flatMap(ClusterStatus.RollingValues::machineImage),
                        state.applied().flatMap(ClusterStatus.RollingValues::workersVersion)));
            }
        });
        return new FleetSnapshot(teams.specsByName(), flavors.specsByName(), profiles.specsByName(), requests, settings,
                pools.specsByName(), fleetApplications());
    }

    /** Every template with its revision and every Application with its generation and canary weight. */
    private FleetApplications fleetApplications() {
        var revisions = new TreeMap<String, AppTemplateRevision>();
        templates.list().forEach(template -> revisions.put(template.name(),
                new AppTemplateRevision(template.generation(), template.spec())));
        var requests = new TreeMap<String, ApplicationRequest>();
        applications.list().forEach(application -> {
            var request = new ApplicationRequest(application.namespace(), application.name(), application.generation(),
                    application.spec(), canaryWeight(Optional.of(application)));
            requests.put(request.key(), request);
        });
        return new FleetApplications(revisions, requests);
    }

    /** The team's clusters the Application's environments take. */
    private List<WorkItem> targets(CachedObject<ApplicationSpec> application) {
        return work(clusters.withLabel(Kinds.LABEL_PREFIX + "team", application.namespace()).stream()
                .filter(cluster -> application.spec().targets(cluster.name(), cluster.spec().environment(), cluster.labels()))
                .toList());
    }

    /** The weight the application controller decided for the canary, which the render follows. */
    private static Optional<Integer> canaryWeight(Optional<CachedObject<ApplicationSpec>> application) {
        return application.map(CachedObject::status).map(status -> status.path("canary").path("weight"))
                .filter(weight -> weight.isInt()).map(weight -> weight.asInt());
    }


    /** Work for the clusters; admission labels every Cluster with its team and flavor, so the label index finds them. */
    private static List<WorkItem> work(List<CachedObject<ClusterSpec>> affected) {
        return affected.stream().<WorkItem>map(cluster -> new WorkItem.ClusterFiles(clusterId(cluster.key()))).toList();
    }

    /** Whether a change needs a new render: added, deleted, or a new spec (status writes do not). */
    private static <S> boolean specChanged(Optional<CachedObject<S>> before, Optional<CachedObject<S>> after) {
        return before.isEmpty() || after.isEmpty() || !before.get().spec().equals(after.get().spec());
    }

    private static ClusterId clusterId(ObjectKey key) {
        return new ClusterId(key.namespace(), key.name());
    }

    private static ObjectKey key(ClusterId id) {
        return new ObjectKey(Kinds.CLUSTER.kind(), id.team(), id.name());
    }
}
