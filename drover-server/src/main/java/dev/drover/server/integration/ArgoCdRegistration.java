package dev.drover.server.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.kube.Observation;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers each Cluster of an {@code argocd} flavor with Argo CD on the management cluster: keeps its Argo CD cluster
 * Secret (see {@link ArgoCdClusterSecret}) equal to what Cluster API's kubeconfig Secret gives, written by server-side
 * apply, re-derived when the kubeconfig rotates, put back when someone deletes or changes it, and removed when the
 * Cluster goes or its flavor stops using Argo CD. Its ArgoCDRegistered condition says which kubeconfig it is
 * derived from, or what it waits for. Runs only when Drover is connected to a management cluster.
 */
public final class ArgoCdRegistration implements Controller<ObjectKey> {

    static final String REGISTERED = "ArgoCDRegistered";
    private static final ClusterCondition CONDITION = new ClusterCondition(REGISTERED);
    static final StatusWriter.Owner OWNER = new StatusWriter.Owner("argocd-registration", Kinds.CLUSTER, Set.of(),
            Set.of(REGISTERED), Set.of(), Optional.empty());

    private static final Logger LOG = LoggerFactory.getLogger(ArgoCdRegistration.class);

    private final StatusWriter statuses;
    private final Informer<ClusterSpec> clusters;
    private final Informer<ClusterFlavorSpec> flavors;
    private final ManagementCluster management;
    private final String argoCdNamespace;
    private final WorkQueue<ObjectKey> queue = new WorkQueue<>(Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** Registers its handlers on the informers and the management cluster, so construct it before they start. */
    public ArgoCdRegistration(StatusWriter statuses, Informer<ClusterSpec> clusters, Informer<ClusterFlavorSpec> flavors,
                              ManagementCluster management, String argoCdNamespace) {
        this.statuses = statuses;
        this.clusters = clusters;
        this.flavors = flavors;
        this.management = management;
        this.argoCdNamespace = argoCdNamespace;
        statuses.register(OWNER);
        clusters.addHandler((before, after) -> {
            if (after.isEmpty() || before.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())) {
                queue.add(after.or(() -> before).get().key());
            }
        });
        flavors.addHandler((before, after) -> {
            String flavor = after.or(() -> before).get().name();
            clusters.list().stream().filter(cluster -> cluster.spec().flavor().equals(flavor))
                    .forEach(cluster -> queue.add(cluster.key()));
        });
        management.onChange(id -> queue.add(ClusterCondition.key(id)));
        management.onHealthChange(() -> queue.addAll(clusters.list().stream().map(CachedObject::key).toList()));
    }

    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    @Override
    public String name() {
        return "argocd-registration";
    }

    @Override
    public Set<ObjectKey> reconcile(List<ObjectKey> batch) {
        List<StatusWriter.Update> updates = new ArrayList<>();
        Set<ObjectKey> retry = new HashSet<>();
        for (ObjectKey key : batch) {
            ClusterId id = new ClusterId(key.namespace(), key.name());
            Optional<CachedObject<ClusterSpec>> cluster = clusters.get(key);
            boolean wanted = cluster.isPresent() && !cluster.get().deleting() && usesArgoCd(cluster.get());
            if (!management.health().reachable()) {
                cluster.filter(ignored -> wanted).ifPresent(present -> updates.add(CONDITION.of(present, Condition.ConditionStatus.UNKNOWN,
                        "ManagementClusterUnreachable", "the management cluster does not answer: " + management.health().problem())));
                continue;
            }
            Observation observation = management.observation(id);
            Optional<JsonNode> registered = Optional.ofNullable(observation.droverSecrets().get(ArgoCdClusterSecret.name(id)));
            try {
                if (!wanted) {
                    if (registered.isPresent()) {
                        management.deleteSecret(argoCdNamespace, ArgoCdClusterSecret.name(id));
                        LOG.info("removed the Argo CD registration of {}", id);
                    }
                    continue;
                }
                Optional<JsonNode> kubeconfig = observation.kubeconfig();
                if (kubeconfig.isEmpty()) {
                    updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.FALSE, "WaitingForKubeconfig", "Cluster API has not "
                            + "written the Secret " + id.team() + "/" + id.name() + "-kubeconfig yet; it does once the control plane "
                            + "answers"));
                    continue;
                }
                switch (ArgoCdClusterSecret.derive(id, kubeconfig.get(), cluster.get().labels(), argoCdNamespace)) {
                    case ArgoCdClusterSecret.Derived.Problem problem ->
                            updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.FALSE, problem.reason(), problem.message()));
                    case ArgoCdClusterSecret.Derived.Secret derived -> {
                        if (registered.isEmpty() || !sameContent(registered.get(), derived.secret())) {
                            management.applySecret(derived.secret());
                        }
                        updates.add(CONDITION.of(cluster.get(), Condition.ConditionStatus.TRUE, "Registered", "Argo CD's cluster Secret "
                                + argoCdNamespace + "/" + ArgoCdClusterSecret.name(id) + " names the destination "
                                + ArgoCdClusterSecret.destination(id) + "; derived from " + id.team() + "/" + id.name()
                                + "-kubeconfig at resourceVersion " + kubeconfig.get().path("metadata").path("resourceVersion").asText()));
                    }
                }
            } catch (RuntimeException failed) {
                retry.add(key);
                cluster.filter(ignored -> wanted).ifPresent(present -> updates.add(CONDITION.of(present, Condition.ConditionStatus.FALSE,
                        "WriteFailed", "writing the Argo CD cluster Secret failed: " + failed.getMessage())));
            }
        }
        statuses.write(OWNER, updates);
        return retry;
    }

    private boolean usesArgoCd(CachedObject<ClusterSpec> cluster) {
        return flavors.get(new ObjectKey(Kinds.CLUSTER_FLAVOR.kind(), "", cluster.spec().flavor()))
                .map(flavor -> flavor.spec().effectiveGitops() == ClusterFlavorSpec.GitOpsEngine.ARGOCD).orElse(false);
    }

    /** Whether the Secret there has the derived data and labels; other fields (Argo CD's own annotations) may differ. */
    private static boolean sameContent(JsonNode current, JsonNode derived) {
        JsonNode labels = current.path("metadata").path("labels");
        for (var label : derived.path("metadata").path("labels").properties()) {
            if (!labels.path(label.getKey()).asText("").equals(label.getValue().asText())) {
                return false;
            }
        }
        return current.path("data").equals(derived.path("data"));
    }


}
