package dev.drover.server.integration;

import dev.drover.model.api.IntegrationSpec;
import dev.drover.server.kube.ManagementCluster;
import dev.drover.server.store.IntegrationOutbox;
import dev.drover.server.tls.ServingCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one delivery as an HTTPS POST of its JSON body, authenticated from a Secret of Drover's namespace on the
 * management cluster: a bearer token, or an HMAC-SHA256 of the body. The headers name the event and the delivery id,
 * which is the same on every attempt, so that a system can drop a repeat.
 */
final class WebhookSender implements AutoCloseable {

    /** The attempt's outcome: a 2xx, or what went wrong. */
    record Outcome(boolean delivered, String error) {
    }

    static final String SIGNATURE = "X-Drover-Signature";
    private static final int THREADS = 4;

    private final Optional<ManagementCluster> management;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().daemon().name("integration-webhook-", 0).factory());
    /** One client per trust: the JDK's, or a CA bundle's. */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    WebhookSender(Optional<ManagementCluster> management) {
        this.management = management;
    }

    Future<Outcome> send(IntegrationSpec.Webhook webhook, IntegrationOutbox.Delivery delivery) {
        return CompletableFuture.supplyAsync(() -> attempt(webhook, delivery), threads);
    }

    private Outcome attempt(IntegrationSpec.Webhook webhook, IntegrationOutbox.Delivery delivery) {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(webhook.url()))
                    .timeout(Duration.ofSeconds(webhook.timeoutSeconds().orElse(10)))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "drover-integration")
                    .header("X-Drover-Event", delivery.event())
                    .header("X-Drover-Delivery", Long.toString(delivery.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException unusable) {
            return new Outcome(false, "the webhook URL cannot be used: " + unusable.getMessage());
        }
        if (webhook.auth().isPresent()) {
            IntegrationSpec.Auth auth = webhook.auth().get();
            Optional<String> secret = secret(auth);
            if (secret.isEmpty()) {
                return new Outcome(false, "no key " + auth.secretKey() + " in Secret " + management.map(ManagementCluster::managementNamespace)
                        .orElse("(not connected)") + "/" + auth.secretName() + " on the management cluster; create it there");
            }
            switch (auth.type()) {
                case BEARER -> request.header("Authorization", "Bearer " + secret.get().strip());
                case HMAC -> request.header(SIGNATURE, "sha256=" + hmac(secret.get(), body));
            }
        }
        try {
            HttpClient client = clients.computeIfAbsent(webhook.caBundle().orElse(""), bundle -> {
                HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
                if (!bundle.isEmpty()) {
                    builder.sslContext(ServingCertificate.trusting(bundle));
                }
                return builder.build();
            });
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return new Outcome(true, "");
            }
            String answer = response.body().length() > 200 ? response.body().substring(0, 200) + "…" : response.body();
            return new Outcome(false, "HTTP " + response.statusCode() + " " + answer.strip());
        } catch (java.io.IOException | RuntimeException failed) {
            return new Outcome(false, Optional.ofNullable(failed.getMessage()).filter(message -> !message.isBlank())
                    .map(message -> failed.getClass().getSimpleName() + ": " + message).orElse(failed.getClass().getSimpleName()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    private Optional<String> secret(IntegrationSpec.Auth auth) {
        return management.flatMap(cluster -> cluster.sourceSecret(auth.secretName()))
                .map(secret -> secret.path("data").path(auth.secretKey()).asText(""))
                .filter(value -> !value.isEmpty())
                .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    static String hmac(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException unavailable) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", unavailable);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
