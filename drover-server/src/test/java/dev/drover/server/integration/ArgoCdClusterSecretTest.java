package dev.drover.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterId;
import dev.drover.model.schema.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoCdClusterSecretTest {

    private static final ClusterId ID = new ClusterId("payments", "checkout");

    private static JsonNode kubeconfigSecret(String kubeconfig) {
        return Json.parseObject("{\"data\":{\"value\":\"" + Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))
                + "\"}}");
    }

    private static String decoded(JsonNode secret, String key) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
    }

    @Test
    void aTokenKubeconfigBecomesABearerTokenAndTheClustersLabelsGoAlong() {
        var derived = ArgoCdClusterSecret.derive(ID, kubeconfigSecret("""
                clusters: [{name: eks, cluster: {server: "https://ABC.gr7.eu-central-1.eks.amazonaws.com", certificate-authority-data: Q0E=}}]
                users: [{name: capa, user: {token: k8s-aws-v1.abc}}]
                contexts: [{name: capa@eks, context: {cluster: eks, user: capa}}]
                current-context: capa@eks
                """), Map.of("platform.drover.dev/environment", "production", "app", "checkout"), "argocd");

        assertThat(derived).isInstanceOfSatisfying(ArgoCdClusterSecret.Derived.Secret.class, secret -> {
            JsonNode object = secret.secret();
            assertThat(object.path("metadata").path("namespace").asText()).isEqualTo("argocd");
            assertThat(object.path("metadata").path("name").asText()).isEqualTo("cluster-payments-checkout");
            assertThat(object.path("metadata").path("labels").path("platform.drover.dev/environment").asText()).isEqualTo("production");
            assertThat(object.path("metadata").path("labels").has("app")).as("only Drover's labels").isFalse();
            assertThat(decoded(object, "name")).isEqualTo("payments.checkout");
            assertThat(decoded(object, "server")).isEqualTo("https://ABC.gr7.eu-central-1.eks.amazonaws.com");
            assertThat(Json.parseObject(decoded(object, "config"))).isEqualTo(Json.parseObject(
                    "{\"bearerToken\":\"k8s-aws-v1.abc\",\"tlsClientConfig\":{\"insecure\":false,\"caData\":\"Q0E=\"}}"));
        });
    }

    @Test
    void aKubeconfigThatCannotReachTheClusterIsAProblemNamingTheSecret() {
        assertThat(ArgoCdClusterSecret.derive(ID, Json.parseObject("{\"data\":{}}"), Map.of(), "argocd"))
                .isEqualTo(new ArgoCdClusterSecret.Derived.Problem("KubeconfigEmpty",
                        "the Secret payments/checkout-kubeconfig has no data.value yet"));
        assertThat(ArgoCdClusterSecret.derive(ID, kubeconfigSecret("clusters: [{name: x, cluster: {server: https://a:6443}}]\n"
                + "users: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: x, user: u}}]\ncurrent-context: c\n"),
                Map.of(), "argocd"))
                .isInstanceOfSatisfying(ArgoCdClusterSecret.Derived.Problem.class, problem ->
                        assertThat(problem.message()).contains("neither a token nor a client certificate"));
    }
}
