package dev.drover.server.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Argo CD cluster Secret of a workload cluster (Argo CD's declarative cluster format: label
 * {@code argocd.argoproj.io/secret-type: cluster}, {@code name}, {@code server}, {@code config}), derived from the
 * kubeconfig Secret Cluster API keeps for it. Derived anew whenever that Secret changes, since kubeadm renews client
 * certificates and EKS kubeconfigs carry short-lived tokens. Pure.
 */
final class ArgoCdClusterSecret {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    /** What a derivation gives: the Secret, or why there is none yet. */
    sealed interface Derived {
        record Secret(ObjectNode secret) implements Derived {
        }

        record Problem(String reason, String message) implements Derived {
        }
    }

    private ArgoCdClusterSecret() {
    }

    /** The Secret's name in Argo CD's namespace: one per Drover cluster. */
    static String name(ClusterId id) {
        return "cluster-" + id.team() + "-" + id.name();
    }

    /** The destination name Drover's Applications use for the cluster ({@code team.cluster}). */
    static String destination(ClusterId id) {
        return id.team() + "." + id.name();
    }

    /**
     * @param kubeconfigSecret Cluster API's {@code <cluster>-kubeconfig} Secret
     * @param labels the Drover Cluster's labels, carried over for ApplicationSet cluster generators
     */
    static Derived derive(ClusterId id, JsonNode kubeconfigSecret, Map<String, String> labels, String argoCdNamespace) {
        String encoded = kubeconfigSecret.path("data").path("value").asText("");
        if (encoded.isEmpty()) {
            return new Derived.Problem("KubeconfigEmpty", "the Secret " + id.team() + "/" + id.name()
                    + "-kubeconfig has no data.value yet");
        }
        JsonNode kubeconfig;
        try {
            kubeconfig = YAML.readTree(Base64.getDecoder().decode(encoded));
        } catch (IOException | IllegalArgumentException unreadable) {
            return new Derived.Problem("KubeconfigUnreadable", "the Secret " + id.team() + "/" + id.name()
                    + "-kubeconfig does not hold a kubeconfig: " + unreadable.getMessage());
        }
        String context = kubeconfig.path("current-context").asText("");
        JsonNode chosenContext = byName(kubeconfig.path("contexts"), context).path("context");
        JsonNode cluster = byName(kubeconfig.path("clusters"), chosenContext.path("cluster").asText("")).path("cluster");
        JsonNode user = byName(kubeconfig.path("users"), chosenContext.path("user").asText("")).path("user");
        if (cluster.isMissingNode()) {
            cluster = kubeconfig.path("clusters").path(0).path("cluster");
            user = kubeconfig.path("users").path(0).path("user");
        }
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            return new Derived.Problem("KubeconfigIncomplete", "the kubeconfig in " + id.team() + "/" + id.name()
                    + "-kubeconfig names no server");
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        if (user.hasNonNull("token")) {
            config.put("bearerToken", user.path("token").asText());
        }
        ObjectNode tls = config.putObject("tlsClientConfig");
        tls.put("insecure", cluster.path("insecure-skip-tls-verify").asBoolean(false));
        copy(cluster, "certificate-authority-data", tls, "caData");
        copy(user, "client-certificate-data", tls, "certData");
        copy(user, "client-key-data", tls, "keyData");
        if (!config.has("bearerToken") && !tls.has("certData")) {
            return new Derived.Problem("KubeconfigIncomplete", "the kubeconfig in " + id.team() + "/" + id.name()
                    + "-kubeconfig has neither a token nor a client certificate");
        }
        ObjectNode secret = Json.MAPPER.createObjectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", name(id));
        metadata.put("namespace", argoCdNamespace);
        Map<String, String> secretLabels = new TreeMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(Kinds.LABEL_PREFIX)) {
                secretLabels.put(key, value);
            }
        });
        secretLabels.put(Kinds.LABEL_PREFIX + "cluster", id.name());
        secretLabels.put(Kinds.LABEL_PREFIX + "team", id.team());
        secretLabels.put("argocd.argoproj.io/secret-type", "cluster");
        ObjectNode labelNode = metadata.putObject("labels");
        secretLabels.forEach(labelNode::put);
        secret.put("type", "Opaque");
        ObjectNode data = secret.putObject("data");
        data.put("name", base64(destination(id)));
        data.put("server", base64(server));
        data.put("config", base64(Json.write(config)));
        return new Derived.Secret(secret);
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode entry : list) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String name) {
        if (from.hasNonNull(field)) {
            to.put(name, from.path(field).asText());
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
