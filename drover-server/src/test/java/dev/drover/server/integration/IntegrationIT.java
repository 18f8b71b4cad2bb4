package dev.drover.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import dev.drover.server.testing.TemporaryDirectory;
import dev.drover.server.tls.ServingCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Integrations end to end: a real local HTTPS receiver (a private CA, an HMAC key from a Secret on the management
 * cluster) hears about a cluster and its machines; a Machine's deletion is held by Cluster API's pre-terminate hook
 * until the receiver acknowledged it; with the receiver down, the hook is let go after the hold and the failure shows.
 * The test plays Cluster API: it creates the Machines and deletes them (a finalizer keeps them while the hook holds).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntegrationIT {

    private static final String TEAM = "data-platform";
    private static final String CLUSTER = "lakehouse-staging";
    private static final String KEY = "s3cret-hmac-key";

    private static ManagementTestEnv management;
    private static FleetChecks fleet;
    private static Kubectl drover;
    private static Kubectl capi;
    private static TemporaryDirectory certificates;
    private static ServingCertificate receiverCertificate;
    private static HttpsServer receiver;
    private static final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private static volatile int answer = 200;

    @BeforeAll
    static void start() throws Exception {
        management = ManagementTestEnv.startWithOrSkip(List.of("cluster-api"));
        capi = management.kubectl();
        capi.run("create", "namespace", TEAM).succeeded();
        capi.run("create", "namespace", "drover-system").succeeded();
        capi.run("create", "secret", "generic", "patch-manager", "-n", "drover-system", "--from-literal=hmac=" + KEY).succeeded();
        certificates = new TemporaryDirectory("receiver-tls-");
        receiverCertificate = ServingCertificate.loadOrCreate(certificates.path(), List.of("localhost", "127.0.0.1"));
        startReceiver(0);
        fleet = FleetChecks.startFreshWithExamples("drover-integrations-", Map.of(Option.MANAGEMENT_KUBECONFIG,
                management.kubeconfig().toString()));
        drover = fleet.kubectl();
    }

    private static void startReceiver(int port) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(receiverCertificate.keyStore(), receiverCertificate.keyStorePassword().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(tls));
        receiver.createContext("/hooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(Map.of("event", exchange.getRequestHeaders().getFirst("X-Drover-Event"),
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-Drover-Signature")),
                    "body", new String(body, StandardCharsets.UTF_8),
                    "expected", "sha256=" + WebhookSender.hmac(KEY, body)));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (fleet != null) {
            fleet.close();
        }
        if (management != null) {
            management.close();
        }
        if (certificates != null) {
            certificates.close();
        }
    }

    private static String integration(String name, String hold) {
        return """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Integration","metadata":{"name":"%s"},
                 "spec":{"clusterSelector":{"matchLabels":{"platform.drover.dev/team":"%s"}},
                  "events":["clusterCreated","machineAdded","machineRemoved"],"holdMachineDeletion":"%s",
                  "webhook":{"url":"https://127.0.0.1:%d/hooks","caBundle":%s,"timeoutSeconds":2,"maxBackoffSeconds":2,
                   "auth":{"type":"hmac","secretName":"patch-manager","secretKey":"hmac"}}}}"""
                .formatted(name, TEAM, hold, receiver.getAddress().getPort(), Json.MAPPER.valueToTree(
                        receiverCertificate.certificatePem()).toString());
    }

    private static void machine(String name) {
        capi.runWithInput("""
                {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine","metadata":{"name":"%s","namespace":"%s",
                 "labels":{"cluster.x-k8s.io/cluster-name":"%s"},"finalizers":["machine.cluster.x-k8s.io"]},
                 "spec":{"clusterName":"%s","providerID":"vsphere://4231-%s","bootstrap":{"dataSecretName":"x"},
                  "infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"VSphereMachine","name":"%s"}}}"""
                .formatted(name, TEAM, CLUSTER, CLUSTER, name, name), "create", "-f", "-").succeeded();
    }

    private static JsonNode awaitMachine(String name, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        JsonNode last = Json.MAPPER.createObjectNode();
        while (System.nanoTime() < deadline) {
            Kubectl.Result result = capi.run("get", "machines.cluster.x-k8s.io", name, "-n", TEAM, "-o", "json");
            if (result.exitCode() == 0) {
                last = Json.parseObject(result.out());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Machine " + name + " not as expected within 40 s: " + last);
    }

    private static boolean hooked(JsonNode machine, String integration) {
        return machine.path("metadata").path("annotations").has(IntegrationHooks.hookKey(integration));
    }

    private static void awaitReceived(String event, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (received.stream().anyMatch(one -> one.get("event").equals(event) && one.get("body").contains(subject))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + event + " of " + subject + " received: " + received);
    }

    @Test
    @Order(1)
    void theSystemHearsOfTheClusterAndItsMachinesSignedAndARemovalWaitsForItsAcknowledgement() throws Exception {
        drover.runWithInput(integration("patch-manager", "10m"), "create", "-f", "-").succeeded();
        awaitReceived("clusterCreated", "\"name\":\"" + CLUSTER + "\"");
        machine("lakehouse-staging-md-0-abc12");
        awaitReceived("machineAdded", "lakehouse-staging-md-0-abc12");
        for (Map<String, String> delivery : received) {
            assertThat(delivery.get("signature")).isEqualTo(delivery.get("expected"));
        }
        JsonNode body = Json.parseObject(received.stream().filter(one -> one.get("event").equals("machineAdded")).findFirst()
                .orElseThrow().get("body"));
        assertThat(body.path("cluster").path("environment").asText()).isEqualTo("staging");
        assertThat(body.path("cluster").path("flavor").asText()).isEqualTo("vsphere-onprem");
        assertThat(body.path("machine").path("providerID").asText()).isEqualTo("vsphere://4231-lakehouse-staging-md-0-abc12");
        awaitMachine("lakehouse-staging-md-0-abc12", machine -> hooked(machine, "patch-manager"));

        // Cluster API deletes the Machine; the hook holds it until the system answered 2xx.
        capi.run("delete", "machines.cluster.x-k8s.io", "lakehouse-staging-md-0-abc12", "-n", TEAM, "--wait=false").succeeded();
        awaitReceived("machineRemoved", "lakehouse-staging-md-0-abc12");
        awaitMachine("lakehouse-staging-md-0-abc12", machine -> !hooked(machine, "patch-manager"));
        JsonNode status = fleet.awaitObject("integrations", "patch-manager", found -> found.path("delivered").asInt() >= 3);
        assertThat(FleetChecks.condition(status, "Ready").path("status").asText()).isEqualTo("True");
        capi.run("patch", "machines.cluster.x-k8s.io", "lakehouse-staging-md-0-abc12", "-n", TEAM, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").succeeded();
    }

    @Test
    @Order(2)
    void aDownSystemHoldsARemovalOnlyForTheHoldAndTheFailureIsVisible() throws Exception {
        drover.run("patch", "integration", "patch-manager", "--type=merge", "-p", "{\"spec\":{\"holdMachineDeletion\":\"8s\"}}")
                .succeeded();
        machine("lakehouse-staging-md-0-def34");
        awaitMachine("lakehouse-staging-md-0-def34", machine -> hooked(machine, "patch-manager"));
        awaitReceived("machineAdded", "lakehouse-staging-md-0-def34");
        int port = receiver.getAddress().getPort();
        receiver.stop(0);
        long deleted = System.nanoTime();
        capi.run("delete", "machines.cluster.x-k8s.io", "lakehouse-staging-md-0-def34", "-n", TEAM, "--wait=false").succeeded();
        JsonNode waiting = fleet.awaitObject("integrations", "patch-manager", found -> found.path("machinesWaiting").toString()
                .contains("lakehouse-staging-md-0-def34") && found.path("conditions").toString().contains("DeliveryFailing"));
        assertThat(FleetChecks.condition(waiting, "Ready").path("message").asText()).contains("machineRemoved",
                "lakehouse-staging-md-0-def34");
        assertThat(hooked(awaitMachine("lakehouse-staging-md-0-def34", machine -> true), "patch-manager")).isTrue();
        awaitMachine("lakehouse-staging-md-0-def34", machine -> !hooked(machine, "patch-manager"));
        assertThat(Duration.ofNanos(System.nanoTime() - deleted)).as("let go after the 8 s hold, not before")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        JsonNode failed = fleet.awaitObject("integrations", "patch-manager", found -> found.path("failed").asInt() >= 1);
        assertThat(failed.path("lastErrors").toString()).contains("lakehouse-staging-md-0-def34", "let go", "without an acknowledgement");
        assertThat(failed.path("machinesWaiting")).isEmpty();
        startReceiver(port);
        capi.run("patch", "machines.cluster.x-k8s.io", "lakehouse-staging-md-0-def34", "-n", TEAM, "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}").succeeded();
    }

    @Test
    @Order(3)
    void badIntegrationsAreRefusedNamingTheField() {
        Kubectl.Result refused = drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Integration","metadata":{"name":"bad"},
                 "spec":{"events":["clusterCreated"],"holdMachineDeletion":"5m",
                  "webhook":{"url":"https://cmdb.example.com/hook","caBundle":"not a certificate"}}}""", "create", "-f", "-");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("spec.holdMachineDeletion", "add machineRemoved", "spec.webhook.caBundle");
        Kubectl.Result plain = drover.runWithInput("""
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Integration","metadata":{"name":"plain"},
                 "spec":{"events":["clusterCreated"],"webhook":{"url":"http://cmdb.example.com/hook"}}}""", "create", "-f", "-");
        assertThat(plain.err()).contains("spec.webhook.url");
        String secretFree = drover.run("get", "integration", "patch-manager", "-o", "json").succeeded().out();
        assertThat(secretFree).doesNotContain(KEY).doesNotContain(Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8)));
    }
}
