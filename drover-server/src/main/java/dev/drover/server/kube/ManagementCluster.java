package dev.drover.server.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to the management cluster. It watches, through fabric8 informers, only the objects Drover renders
 * (those labelled with a Drover cluster): Cluster API Clusters, MachineDeployments and MachinePools, EKS control
 * planes, Flux GitRepositories, Kustomizations and HelmReleases, Argo CD Applications and the Secrets Drover writes,
 * and what Cluster API labels with its cluster's name: Machines and the Secrets it writes (the kubeconfigs); informers list again when a watch breaks, so a reconnect resyncs. A probe every few seconds keeps
 * the connection's health, which says since when the cluster has not answered. Nothing else in Drover talks to the
 * management cluster, so several replicas can later share one owner of it.
 */
public final class ManagementCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementCluster.class);
    private static final String CLUSTER_LABEL = Kinds.LABEL_PREFIX + "cluster";
    /** The informers' index of objects by Drover cluster ({@code team/name}). */
    private static final String BY_CLUSTER = "drover-cluster";
    private static final String TEAM_LABEL = Kinds.LABEL_PREFIX + "team";
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    /** The field manager of what Drover writes into the management cluster. */
    static final String FIELD_MANAGER = "drover";

    /** Cluster API's label on the objects of a cluster it made itself, such as its kubeconfig Secret. */
    private static final String CAPI_CLUSTER_LABEL = "cluster.x-k8s.io/cluster-name";

    /**
     * The kinds Drover observes, as the management cluster serves them, with the label that names the Drover cluster
     * of an object: Drover's own for what it renders and writes, Cluster API's for the Secrets Cluster API writes
     * (whose namespace is the team's).
     */
    enum Observed {
        CLUSTER("cluster.x-k8s.io", "v1beta2", "Cluster", "clusters", CLUSTER_LABEL),
        MACHINE_DEPLOYMENT("cluster.x-k8s.io", "v1beta2", "MachineDeployment", "machinedeployments", CLUSTER_LABEL),
        MACHINE_POOL("cluster.x-k8s.io", "v1beta2", "MachinePool", "machinepools", CLUSTER_LABEL),
        KUSTOMIZATION("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations", CLUSTER_LABEL),
        HELM_RELEASE("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", CLUSTER_LABEL),
        GIT_REPOSITORY("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories", CLUSTER_LABEL),
        AWS_MANAGED_CONTROL_PLANE("controlplane.cluster.x-k8s.io", "v1beta2", "AWSManagedControlPlane", "awsmanagedcontrolplanes",
                CLUSTER_LABEL),
        MACHINE("cluster.x-k8s.io", "v1beta2", "Machine", "machines", CAPI_CLUSTER_LABEL),
        APPLICATION("argoproj.io", "v1alpha1", "Application", "applications", CLUSTER_LABEL),
        DROVER_SECRET("", "v1", "Secret", "secrets", CLUSTER_LABEL),
        CLUSTER_API_SECRET("", "v1", "Secret", "secrets", CAPI_CLUSTER_LABEL);

        private final ResourceDefinitionContext context;
        private final String clusterLabel;

        Observed(String group, String version, String kind, String plural, String clusterLabel) {
            this.context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(true).build();
            this.clusterLabel = clusterLabel;
        }

        /** The resource as RBAC rules and kubectl name it: {@code plural.group}, or the plural of a core kind. */
        String resource() {
            return context.getGroup().isEmpty() ? context.getPlural() : context.getPlural() + "." + context.getGroup();
        }

        ClusterId clusterOf(Map<String, String> labels, String namespace) {
            String team = clusterLabel.equals(CLUSTER_LABEL) ? labels.getOrDefault(TEAM_LABEL, namespace) : namespace;
            return new ClusterId(team, labels.get(clusterLabel));
        }
    }

    /**
     * Whether the management cluster answers.
     *
     * @param unreachableSince when it stopped answering; empty while it answers
     * @param problem what the last failed probe or watch said
     */
    public record Health(Optional<Instant> unreachableSince, String problem) {
        public Health {
            requireNonNull(unreachableSince, "unreachableSince is null");
            requireNonNull(problem, "problem is null");
        }

        public boolean reachable() {
            return unreachableSince.isEmpty();
        }
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final String server;
    /** The informers by kind; their stores are the only copy of the observed objects, indexed by Drover cluster. */
    private final Map<Observed, SharedIndexInformer<GenericKubernetesResource>> informers = new java.util.EnumMap<>(Observed.class);
    private final List<Consumer<ClusterId>> listeners = new CopyOnWriteArrayList<>();
    private final String managementNamespace;
    private final List<Consumer<String>> sourceListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> healthListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "management-cluster-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Health health;
    private SharedIndexInformer<Secret> sourceInformer;
    private final List<WatchedKind> watches = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    private ManagementCluster(Config config, String managementNamespace, Clock clock) {
        this.client = new KubernetesClientBuilder().withConfig(config).build();
        this.managementNamespace = managementNamespace;
        this.clock = clock;
        this.server = config.getMasterUrl();
        this.health = new Health(Optional.of(clock.instant()), "not probed yet");
    }

    /**
     * A connection from a kubeconfig file, or {@code in-cluster} for the service account of the pod Drover runs in.
     *
     * @param managementNamespace Drover's namespace there, whose Secrets flavors and teams name as bootstrap Secrets
     * @throws IllegalArgumentException when the file cannot be read as a kubeconfig
     */
    public static ManagementCluster connect(String kubeconfig, String managementNamespace, Clock clock) {
        Config config;
        if (kubeconfig.equals("in-cluster")) {
            config = new ConfigBuilder().build();
        } else {
            try {
                config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
            } catch (IOException | RuntimeException unreadable) {
                throw new IllegalArgumentException("--management-kubeconfig " + kubeconfig + " cannot be read as a kubeconfig: "
                        + unreadable.getMessage(), unreadable);
            }
        }
        return new ManagementCluster(config, managementNamespace, clock);
    }

    /** Calls the listener with a cluster whenever one of its observed objects changes; register before {@link #start}. */
    public void onChange(Consumer<ClusterId> listener) {
        listeners.add(listener);
    }

    /** Calls the listener with a Secret's name whenever a Secret of Drover's namespace changes. */
    public void onSourceSecretChange(Consumer<String> listener) {
        sourceListeners.add(listener);
    }

    /** A Secret of Drover's namespace on the management cluster, as last observed. */
    public Optional<JsonNode> sourceSecret(String name) {
        return Optional.ofNullable(sourceInformer).map(informer -> informer.getStore().getByKey(managementNamespace + "/" + name))
                .map(ManagementCluster::json);
    }

    public String managementNamespace() {
        return managementNamespace;
    }

    /** Calls the listener whenever the management cluster stops or starts answering. */
    public void onHealthChange(Runnable listener) {
        healthListeners.add(listener);
    }

    /**
     * A kind a controller watches beside the observed ones, with the writes it makes: Drover acting as a provider
     * (the IPAM contract's claims and addresses).
     */
    public record Resource(String group, String version, String kind, String plural, boolean namespaced) {

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(namespaced).build();
        }
    }

    /** The objects of one watched kind, as its informer last saw them. */
    public interface Watch {
        List<JsonNode> list();

        Optional<JsonNode> get(String namespace, String name);

        /** Whether the first list has completed, so that an object missing from it is gone. */
        boolean synced();
    }

    /**
     * Watches a kind in every namespace (only objects with the label, when given), calling the listener with each
     * object that was added, changed or deleted. Register before {@link #start}.
     */
    public Watch watch(Resource resource, Optional<String> label, Consumer<JsonNode> onChange) {
        var watch = new WatchedKind(resource, label, onChange);
        watches.add(watch);
        if (started) {
            watch.start();
        }
        return watch;
    }

    /** Writes the object by server-side apply as Drover's field manager, taking its fields over from anyone else. */
    public JsonNode apply(Resource resource, JsonNode object) {
        return json(resource(resource, object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
    }

    /** Writes the object's status subresource by server-side apply as Drover's field manager. */
    public void applyStatus(Resource resource, JsonNode object) {
        resource(resource, object).subresource("status").patch(new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER)
                .withForce(true).build(), Json.write(object));
    }

    /** A JSON merge patch; with {@code metadata.resourceVersion} in it, refused (409) when the object changed since. */
    public void mergePatch(Resource resource, String namespace, String name, JsonNode patch) {
        var objects = client.genericKubernetesResources(resource.context());
        (resource.namespaced() ? objects.inNamespace(namespace) : objects).withName(name).patch(
                new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                        .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE).build(), Json.write(patch));
    }

    public void delete(Resource resource, String namespace, String name) {
        var objects = client.genericKubernetesResources(resource.context());
        (resource.namespaced() ? objects.inNamespace(namespace) : objects).withName(name).delete();
    }

    private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(Resource resource, JsonNode object) {
        GenericKubernetesResource typed = Serialization.unmarshal(Json.write(object), GenericKubernetesResource.class);
        var objects = client.genericKubernetesResources(resource.context());
        return resource.namespaced() ? objects.inNamespace(typed.getMetadata().getNamespace()).resource(typed)
                : objects.resource(typed);
    }

    /** The management cluster's API server, which names it in what Drover records of it. */
    public String server() {
        return server;
    }

    /** Starts probing and the informers; they keep retrying while the management cluster does not answer. */
    public ManagementCluster start() {
        started = true;
        watches.forEach(WatchedKind::start);
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        for (Observed kind : Observed.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind.context)
                    .inAnyNamespace().withLabel(kind.clusterLabel).runnableInformer(0);
            informer.addIndexers(Map.of(BY_CLUSTER, object -> List.of(indexKey(kind.clusterOf(labels(object),
                    object.getMetadata().getNamespace())))));
            informer.addEventHandler(new Recorder(kind));
            boolean[] warned = {false};
            informer.exceptionHandler((started, failure) -> {
                // Once per kind: a management cluster without Argo CD fails the Application watch on every retry.
                if (!warned[0]) {
                    LOG.warn("watching {} on the management cluster failed, retrying: {}", kind.context.getKind(), failure.toString());
                    warned[0] = true;
                }
                return true;
            });
            informer.start();
            informers.put(kind, informer);
        }
        SharedIndexInformer<Secret> sources = client.secrets().inNamespace(managementNamespace).runnableInformer(0);
        sources.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                sourceChanged(secret);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                sourceChanged(after);
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                sourceChanged(secret);
            }
        });
        sources.exceptionHandler((started, failure) -> true);
        sources.start();
        sourceInformer = sources;
        LOG.info("observing the management cluster at {}", server);
        return this;
    }

    public Health health() {
        return health;
    }

    /** What the management cluster has of one Drover cluster, by kind and object name. */
    public Observation observation(ClusterId id) {
        return new Observation(
                of(Observed.CLUSTER, id).values().stream().findFirst(),
                of(Observed.MACHINE_DEPLOYMENT, id),
                of(Observed.MACHINE_POOL, id),
                of(Observed.KUSTOMIZATION, id),
                of(Observed.HELM_RELEASE, id),
                of(Observed.APPLICATION, id),
                of(Observed.GIT_REPOSITORY, id),
                of(Observed.AWS_MANAGED_CONTROL_PLANE, id).values().stream().findFirst(),
                of(Observed.MACHINE, id),
                Optional.ofNullable(of(Observed.CLUSTER_API_SECRET, id).get(id.name() + "-kubeconfig")),
                of(Observed.DROVER_SECRET, id));
    }

    /** One kind's objects of a cluster, by name, as JSON made from the informer's store when asked. */
    private Map<String, JsonNode> of(Observed kind, ClusterId id) {
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind);
        if (informer == null) {
            return Map.of();
        }
        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        for (GenericKubernetesResource object : informer.getIndexer().byIndex(BY_CLUSTER, indexKey(id))) {
            byName.put(object.getMetadata().getName(), json(object));
        }
        return byName;
    }

    private static String indexKey(ClusterId id) {
        return id.team() + "/" + id.name();
    }

    private static Map<String, String> labels(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return Optional.ofNullable(object.getMetadata().getLabels()).orElse(Map.of());
    }

    private static JsonNode json(Object object) {
        try {
            return Json.MAPPER.readTree(Serialization.asJson(object));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /**
     * Writes a Secret by server-side apply as Drover's field manager, taking the fields over from anyone who changed
     * them: Drover derives the Secret and owns it.
     */
    public void applySecret(JsonNode secret) {
        Secret typed = Serialization.unmarshal(Json.write(secret), Secret.class);
        client.secrets().inNamespace(typed.getMetadata().getNamespace()).resource(typed).fieldManager(FIELD_MANAGER)
                .forceConflicts().serverSideApply();
    }

    public void deleteSecret(String namespace, String name) {
        client.secrets().inNamespace(namespace).withName(name).delete();
    }

    private void probe() {
        Health before = health;
        try {
            client.getKubernetesVersion();
            health = new Health(Optional.empty(), "");
        } catch (RuntimeException unanswered) {
            String problem = Optional.ofNullable(unanswered.getMessage()).orElse(unanswered.getClass().getSimpleName());
            health = new Health(Optional.of(before.unreachableSince().orElse(clock.instant())), problem);
        }
        if (before.reachable() != health.reachable()) {
            if (health.reachable()) {
                LOG.info("the management cluster at {} answers", server);
            } else {
                LOG.warn("the management cluster at {} does not answer: {}", server, health.problem());
            }
            healthListeners.forEach(Runnable::run);
        }
    }

    private void sourceChanged(Secret secret) {
        sourceListeners.forEach(listener -> listener.accept(secret.getMetadata().getName()));
    }

    @Override
    public void close() {
        prober.shutdownNow();
        informers.values().forEach(SharedIndexInformer::close);
        watches.forEach(WatchedKind::close);
        if (sourceInformer != null) {
            sourceInformer.close();
        }
        client.close();
    }

    /** Tells the listeners which Drover cluster an object that changed belongs to. */
    private final class Recorder implements ResourceEventHandler<GenericKubernetesResource> {
        private final Observed kind;

        Recorder(Observed kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            update(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            update(after);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            update(object);
        }

        private void update(GenericKubernetesResource object) {
            ClusterId id = kind.clusterOf(labels(object), object.getMetadata().getNamespace());
            listeners.forEach(listener -> listener.accept(id));
        }
    }

    private final class WatchedKind implements Watch {
        private final Resource resource;
        private final Optional<String> label;
        private final Consumer<JsonNode> onChange;
        private SharedIndexInformer<GenericKubernetesResource> informer;

        WatchedKind(Resource resource, Optional<String> label, Consumer<JsonNode> onChange) {
            this.resource = resource;
            this.label = label;
            this.onChange = onChange;
        }

        synchronized void start() {
            if (informer != null) {
                return;
            }
            var objects = client.genericKubernetesResources(resource.context());
            var scoped = resource.namespaced() ? objects.inAnyNamespace() : objects;
            informer = (label.isPresent() ? scoped.withLabel(label.get()) : scoped).runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource object) {
                    onChange.accept(json(object));
                }

                @Override
                public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                    onChange.accept(json(after));
                }

                @Override
                public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                    onChange.accept(json(object));
                }
            });
            boolean[] warned = {false};
            informer.exceptionHandler((running, failure) -> {
                if (!warned[0]) {
                    LOG.warn("watching {} on the management cluster failed, retrying: {}", resource.kind(), failure.toString());
                    warned[0] = true;
                }
                return true;
            });
            informer.start();
        }

        @Override
        public List<JsonNode> list() {
            return informer == null ? List.of() : informer.getStore().list().stream().map(ManagementCluster::json).toList();
        }

        @Override
        public Optional<JsonNode> get(String namespace, String name) {
            return Optional.ofNullable(informer).map(running -> running.getStore().getByKey(
                    resource.namespaced() ? namespace + "/" + name : name)).map(ManagementCluster::json);
        }

        @Override
        public boolean synced() {
            return informer != null && informer.hasSynced();
        }

        synchronized void close() {
            if (informer != null) {
                informer.close();
            }
        }
    }
}
