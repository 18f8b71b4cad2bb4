package dev.drover.server.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.schema.Json;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections to workload clusters, through the kubeconfig Secrets Cluster API keeps for them on the management
 * cluster. A connection is made again when its kubeconfig Secret changes (a renewed certificate, a fresh EKS token)
 * and has short timeouts, so a cluster that does not answer yet holds nothing up.
 */
public final class WorkloadClusters implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5_000;

    private record Connection(String kubeconfigVersion, KubernetesClient client) {
    }

    private final Map<ClusterId, Connection> connections = new ConcurrentHashMap<>();

    /**
     * Makes the Secret in the workload cluster equal to the given one (type, data, labels), creating its namespace when
     * missing, by server-side apply as Drover.
     *
     * @return whether it wrote: false when the copy there already had the content
     * @throws RuntimeException when the workload cluster does not answer or refuses
     */
    public boolean putSecret(ClusterId id, JsonNode kubeconfigSecret, JsonNode secret) {
        KubernetesClient client = client(id, kubeconfigSecret);
        Secret desired = Serialization.unmarshal(Json.write(secret), Secret.class);
        String namespace = desired.getMetadata().getNamespace();
        if (client.namespaces().withName(namespace).get() == null) {
            Namespace created = new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build();
            client.namespaces().resource(created).fieldManager(ManagementCluster.FIELD_MANAGER).serverSideApply();
        }
        Secret current = client.secrets().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
        if (current != null && Objects.equals(current.getType(), desired.getType()) && Objects.equals(current.getData(), desired.getData())
                && current.getMetadata().getLabels() != null
                && current.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
            return false;
        }
        client.secrets().inNamespace(namespace).resource(desired).fieldManager(ManagementCluster.FIELD_MANAGER).forceConflicts()
                .serverSideApply();
        return true;
    }

    /**
     * The objects of a kind in a namespace of the workload cluster, as JSON; empty when the cluster does not serve the
     * kind (its CRD is not installed).
     *
     * @throws RuntimeException when the workload cluster does not answer or refuses
     */
    public List<JsonNode> list(ClusterId id, JsonNode kubeconfigSecret, String apiVersion, String kind, String namespace) {
        KubernetesClient client = client(id, kubeconfigSecret);
        try {
            return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).list().getItems().stream()
                    .map(object -> (JsonNode) Json.parseObject(Serialization.asJson(object))).toList();
        } catch (KubernetesClientException refused) {
            if (refused.getCode() == 404) {
                return List.of();
            }
            throw refused;
        }
    }

    /** Closes the cluster's connection, for a cluster that is gone. */
    public void forget(ClusterId id) {
        Connection gone = connections.remove(id);
        if (gone != null) {
            gone.client().close();
        }
    }

    private KubernetesClient client(ClusterId id, JsonNode kubeconfigSecret) {
        String version = kubeconfigSecret.path("metadata").path("resourceVersion").asText("");
        Connection known = connections.get(id);
        if (known != null && known.kubeconfigVersion().equals(version)) {
            return known.client();
        }
        String kubeconfig = new String(Base64.getDecoder().decode(kubeconfigSecret.path("data").path("value").asText("")),
                StandardCharsets.UTF_8);
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setConnectionTimeout(TIMEOUT_MILLIS);
        config.setRequestTimeout(TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(0);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        Connection replaced = connections.put(id, new Connection(version, client));
        if (replaced != null) {
            replaced.client().close();
        }
        return client;
    }

    @Override
    public void close() {
        connections.values().forEach(connection -> connection.client().close());
        connections.clear();
    }
}
