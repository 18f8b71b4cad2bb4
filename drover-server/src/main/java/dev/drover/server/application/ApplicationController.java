package dev.drover.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ApplicationStatus;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.app.ImageReference;
import dev.drover.model.render.AppTemplateRevision;
import dev.drover.model.render.GitOpsNames;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.kube.Observation;
import dev.drover.server.kube.WorkloadClusters;
import dev.drover.server.store.ImageScans;
import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes each Application's status and steps its canary: observe (the Application, its template, the target clusters'
 * committed Applications in their status, the GitOps object applying it on the management cluster, the scans of its
 * images reported through the API and trivy-operator's reports in the workload clusters), decide ({@link ApplicationDecision}, pure), act (the status, which the fleet reconciler follows for the
 * canary weight). Each AppTemplate's status counts its Applications and those at its revision.
 */
public final class ApplicationController implements Controller<ObjectKey>, AutoCloseable {

    /** Up to this many Applications per status transaction. */
    public static final int BATCH_LIMIT = 200;
    /** How often each Application is looked at again without a change, for scans reported since (drift). */
    static final Duration RESCAN = Duration.ofMinutes(1);

    static final StatusWriter.Owner TEMPLATE_OWNER = new StatusWriter.Owner("application-templates", Kinds.APP_TEMPLATE,
            Set.of("applications", "current"), Set.of(), Set.of(), Optional.empty());

    private final StatusWriter statuses;
    private final Informer<AppTemplateSpec> templates;
    private final Informer<ApplicationSpec> applications;
    private final Informer<ClusterSpec> clusters;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Optional<ManagementCluster> management;
    private final RunningScans running;
    private final AutoCloseable scanListener;
    private final FleetRepository repository;
    private final ImageScans scans;
    private final Clock clock;
    private final WorkQueue<ObjectKey> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    /** What was last written per object and which Applications are current; used on the controller's thread only. */
    private final Map<ObjectKey, StatusWriter.Update> written = new HashMap<>();
    private final Map<ObjectKey, Boolean> current = new HashMap<>();

    /** Registers its handlers, so construct it before the informers and the management cluster start. */
    /**
     * @param workloadScanResync how often trivy-operator's reports are read in the clusters of gated environments
     */
    public ApplicationController(StatusWriter statuses, Informer<AppTemplateSpec> templates, Informer<ApplicationSpec> applications,
                                 Informer<ClusterSpec> clusters, Informer<ClusterFlavorSpec> flavors,
                                 Optional<ManagementCluster> management, WorkloadClusters workloads,
                                 Duration workloadScanResync, FleetRepository repository, ImageScans scans, Clock clock) {
        this.statuses = statuses;
        this.templates = templates;
        this.applications = applications;
        this.clusters = clusters;
        this.flavors = flavors;
        this.management = management;
        this.running = new RunningScans(management, workloads, workloadScanResync, this::teamChanged);
        this.repository = repository;
        this.scans = scans;
        this.clock = clock;
        statuses.register(ApplicationDecision.OWNER);
        statuses.register(TEMPLATE_OWNER);
        applications.addHandler((before, after) -> {
            Optional<CachedObject<ApplicationSpec>> either = after.or(() -> before);
            if (before.isEmpty() || after.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())) {
                queue.add(either.get().key());
                before.ifPresent(application -> queue.add(templateKey(application.spec().template())));
                after.ifPresent(application -> queue.add(templateKey(application.spec().template())));
            }
        });
        templates.addHandler((before, after) -> {
            CachedObject<AppTemplateSpec> template = after.or(() -> before).orElseThrow();
            if (before.isEmpty() || after.isEmpty() || before.get().generation() != after.get().generation()) {
                queue.add(template.key());
                queue.addAll(applications.withLabel(Kinds.TEMPLATE_LABEL, template.name()).stream().map(CachedObject::key).toList());
            }
        });
        // What a cluster's Applications depend on: its spec and labels, its deletion, and what its files hold (not its
        // cost or readiness, which change far more often).
        // Most clusters' teams run no Application: those cost one index lookup, no status parse.
        clusters.addHandler((before, after) -> {
            String team = after.or(() -> before).orElseThrow().namespace();
            List<CachedObject<ApplicationSpec>> teamApplications = applications.withLabel(Kinds.LABEL_PREFIX + "team", team);
            if (teamApplications.isEmpty()) {
                return;
            }
            if (before.isEmpty() || after.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())
                    || !before.get().statusJson().equals(after.get().statusJson())
                    && filesChanged(before.get().status(), after.get().status())) {
                queue.addAll(teamApplications.stream().map(CachedObject::key).toList());
            }
        });
        this.scanListener = scans.onRecorded(this::teamChanged);
        management.ifPresent(cluster -> {
            cluster.onChange(id -> teamChanged(id.team()));
            cluster.onHealthChange(() -> queue.addAll(applications.list().stream().map(CachedObject::key).toList()));
        });
    }

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "applications";
    }

    private static boolean filesChanged(JsonNode before, JsonNode after) {
        return !after.path("applications").equals(before.path("applications")) || !after.path("git").equals(before.path("git"));
    }

    private void teamChanged(String team) {
        queue.addAll(applications.withLabel(Kinds.LABEL_PREFIX + "team", team).stream().map(CachedObject::key).toList());
    }

    @Override
    public Set<ObjectKey> reconcile(List<ObjectKey> batch) {
        Instant now = clock.instant();
        List<StatusWriter.Update> applicationUpdates = new ArrayList<>();
        List<StatusWriter.Update> templateUpdates = new ArrayList<>();
        for (ObjectKey key : batch) {
            if (key.kind().equals(Kinds.APP_TEMPLATE.kind())) {
                templates.get(key).flatMap(this::templateStatus).ifPresent(templateUpdates::add);
                continue;
            }
            Optional<CachedObject<ApplicationSpec>> application = applications.get(key);
            if (application.isEmpty()) {
                written.remove(key);
                current.remove(key);
                continue;
            }
            ApplicationDecision.Decision decision = ApplicationDecision.decide(observe(application.get(), now));
            if (!Boolean.valueOf(decision.current()).equals(current.put(key, decision.current()))) {
                queue.add(templateKey(application.get().spec().template()));
            }
            if (!decision.update().equals(written.get(key))) {
                applicationUpdates.add(decision.update());
            }
            Duration again = decision.wakeAt().map(at -> Duration.between(now, at)).filter(wait -> wait.compareTo(RESCAN) < 0)
                    .orElse(RESCAN);
            queue.addAfter(key, again.isNegative() ? Duration.ZERO : again);
        }
        statuses.write(ApplicationDecision.OWNER, applicationUpdates);
        applicationUpdates.forEach(update -> written.put(update.key(), update));
        statuses.write(TEMPLATE_OWNER, templateUpdates);
        return Set.of();
    }

    /** Observe: everything the decision reads, from the informers, the management cluster and the scans. */
    private ApplicationDecision.Input observe(CachedObject<ApplicationSpec> application, Instant now) {
        ApplicationSpec spec = application.spec();
        Optional<AppTemplateRevision> template = templates.get(templateKey(spec.template()))
                .map(found -> new AppTemplateRevision(found.generation(), found.spec()));
        List<ApplicationDecision.Target> targets = new ArrayList<>();
        for (CachedObject<ClusterSpec> cluster : clusters.withLabel(Kinds.LABEL_PREFIX + "team", application.namespace())) {
            String environment = cluster.spec().environment();
            boolean targeted = spec.targets(cluster.name(), environment, cluster.labels());
            if (!targeted || cluster.deleting()) {
                continue;
            }
            ClusterId id = new ClusterId(cluster.namespace(), cluster.name());
            boolean gated = template.flatMap(revision -> revision.spec().scanGate(environment)).isPresent();
            Optional<ClusterFlavorSpec> flavor = flavors.get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.spec().flavor()))
                    .map(CachedObject::spec);
            if (gated && flavor.isPresent()) {
                running.want(id, GitOpsNames.applicationNamespace(flavor.get(), cluster.namespace()));
            }
            JsonNode status = cluster.status();
            Optional<ClusterStatus.CommittedApplication> committed = Optional.empty();
            for (JsonNode entry : status.path("applications")) {
                if (entry.path("name").asText().equals(application.name())) {
                    committed = Optional.of(Json.bind(entry, ClusterStatus.CommittedApplication.class));
                }
            }
            Optional<String> commit = Optional.of(status.path("git").path("commit").asText("")).filter(text -> !text.isEmpty());
            targets.add(health(id, environment, application.name(), committed, commit));
        }
        List<String> digests = spec.environments().stream().map(environment -> spec.imageFor(environment.name()))
                .map(image -> ImageReference.parse(image).digest()).flatMap(Optional::stream).distinct().toList();
        Map<String, ImageScans.Scan> found = template.map(revision -> revision.spec().scanGates().isEmpty()).orElse(true)
                ? Map.of() : scans.latest(application.namespace(), digests);
        Optional<ApplicationStatus.CanaryStatus> lastCanary = Optional.of(application.status().path("canary"))
                .filter(JsonNode::isObject).map(node -> Json.bind(node, ApplicationStatus.CanaryStatus.class));
        Map<ClusterId, List<dev.drover.model.app.ScanReport>> reports = new HashMap<>();
        targets.forEach(target -> reports.put(target.cluster(), running.of(target.cluster())));
        return new ApplicationDecision.Input(application.key(), application.generation(), spec, template, targets, found,
                reports, lastCanary, now);
    }

    /** Whether the GitOps object applying the Application in the cluster applied the committed files and is healthy. */
    private ApplicationDecision.Target health(ClusterId id, String environment, String application,
                                              Optional<ClusterStatus.CommittedApplication> committed, Optional<String> commit) {
        if (management.isEmpty()) {
            return new ApplicationDecision.Target(id, environment, committed, commit, ApplicationDecision.Health.UNKNOWN,
                    "Drover is not connected to a management cluster, so it cannot see what runs");
        }
        ManagementCluster.Health reachable = management.get().health();
        if (!reachable.reachable()) {
            return new ApplicationDecision.Target(id, environment, committed, commit, ApplicationDecision.Health.UNKNOWN,
                    "the management cluster does not answer: " + reachable.problem());
        }
        Observation observation = management.get().observation(id);
        ApplicationHealth.Observed observed = ApplicationHealth.of(id, application,
                Optional.ofNullable(observation.kustomizations().get(GitOpsNames.fluxApplication(id, application))),
                Optional.ofNullable(observation.applications().get(GitOpsNames.argoCdApplication(id, application))),
                commit, revision -> holds(revision, commit));
        return new ApplicationDecision.Target(id, environment, committed, commit, observed.health(), observed.message());
    }

    private boolean holds(String revision, Optional<String> commit) {
        String applied = revision.substring(revision.lastIndexOf(':') + 1);
        return commit.isPresent() && !applied.isEmpty() && repository.holds(applied, commit.get());
    }

    /**
     * Counted once every Application of the template was decided since the start, so a restart does not write a count
     * of none first; each first decision queues the template again.
     */
    private Optional<StatusWriter.Update> templateStatus(CachedObject<AppTemplateSpec> template) {
        List<CachedObject<ApplicationSpec>> users = applications.withLabel(Kinds.TEMPLATE_LABEL, template.name());
        if (!users.stream().allMatch(user -> current.containsKey(user.key()))) {
            return Optional.empty();
        }
        long atRevision = users.stream().filter(user -> current.getOrDefault(user.key(), false)).count();
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("applications", Json.MAPPER.getNodeFactory().numberNode((long) users.size()));
        fields.put("current", Json.MAPPER.getNodeFactory().numberNode(atRevision));
        return Optional.of(new StatusWriter.Update(template.key(), fields, List.of()));
    }

    @Override
    public void close() throws Exception {
        running.close();
        scanListener.close();
    }

    private static ObjectKey templateKey(String name) {
        return new ObjectKey(Kinds.APP_TEMPLATE.kind(), "", name);
    }
}
