package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Server URL and token of the current context of a kubeconfig. */
record ClientConfig(String server, String certificatePem, String token) {

    static ClientConfig load(Path explicit) throws IOException {
        Path file = explicit != null ? explicit
                : System.getenv("KUBECONFIG") != null ? Path.of(System.getenv("KUBECONFIG").split(":")[0])
                : Path.of(".drover", "kubeconfig");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no kubeconfig at " + file + "; start Drover with `make run` or pass --kubeconfig");
        }
        JsonNode config = new YAMLMapper().readTree(file.toFile());
        String contextName = config.path("current-context").asText();
        JsonNode context = find(config.path("contexts"), contextName, file).path("context");
        JsonNode cluster = find(config.path("clusters"), context.path("cluster").asText(), file).path("cluster");
        String server = cluster.path("server").asText();
        String certificate = new String(java.util.Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText("")),
                java.nio.charset.StandardCharsets.US_ASCII);
        String token = find(config.path("users"), context.path("user").asText(), file).path("user").path("token").asText();
        if (server.isEmpty() || token.isEmpty()) {
            throw new IllegalArgumentException("the current context of " + file + " has no server URL or bearer token");
        }
        return new ClientConfig(server, certificate, token);
    }

    java.net.http.HttpClient httpClient() {
        var builder = java.net.http.HttpClient.newBuilder();
        if (!certificatePem.isEmpty()) {
            builder.sslContext(dev.drover.server.tls.ServingCertificate.trusting(certificatePem));
        }
        return builder.build();
    }

    private static JsonNode find(JsonNode entries, String name, Path file) {
        for (JsonNode entry : entries) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException(file + " has no entry named \"" + name + "\"");
    }
}
