package dev.drover.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drover connected to a real management cluster API (kube-apiserver with the upstream CRDs). The test plays Flux by
 * applying the fleet repository's management directory, and Cluster API and Flux by writing the statuses they would
 * write, schema-checked by the API server; Drover's Clusters must follow.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectedModeIT {

    private static final String CONDITION_TIME = "2026-12-01T10:00:00Z";

    private static ManagementTestEnv management;
    private static ManagementTestEnv workload;
    private static FleetChecks fleet;
    private static Kubectl drover;
    private static Kubectl capi;

    @BeforeAll
    static void start() {
        management = ManagementTestEnv.startOrSkip();
        capi = management.kubectl();
        capi.run("create", "namespace", "argocd").succeeded();
        fleet = FleetChecks.startFreshWithExamples("drover-connected-",
                Map.of(Option.MANAGEMENT_KUBECONFIG, management.kubeconfig().toString(), Option.BOOTSTRAP_SECRET_RESYNC, "2s"));
        drover = fleet.kubectl();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (management != null) {
            management.close();
        }
        if (workload != null) {
            workload.close();
        }
    }

    private static String condition(String type, boolean status, String reason, String message) {
        return "{\"type\":\"" + type + "\",\"status\":\"" + (status ? "True" : "False") + "\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\",\"lastTransitionTime\":\"" + CONDITION_TIME + "\"}";
    }

    private static void status(String resource, String namespace, String name, String status) {
        capi.run("patch", resource, name, "-n", namespace, "--subresource=status", "--type=merge", "-p",
                "{\"status\":" + status + "}").succeeded();
    }

    /** Cluster API's status of a cluster whose infrastructure is up and whose control plane is available or not. */
    private static void clusterApiStatus(String namespace, String name, boolean controlPlaneAvailable, int workersReady) {
        status("clusters.cluster.x-k8s.io", namespace, name, "{\"initialization\":{\"infrastructureProvisioned\":true,"
                + "\"controlPlaneInitialized\":true},\"conditions\":[" + condition("ControlPlaneAvailable", controlPlaneAvailable,
                controlPlaneAvailable ? "Available" : "NotAvailable", controlPlaneAvailable ? "" : "machine " + name + "-cp-x7k2 Provisioning")
                + "],\"controlPlane\":{\"desiredReplicas\":1,\"replicas\":1,\"readyReplicas\":1,\"availableReplicas\":"
                + (controlPlaneAvailable ? 1 : 0) + ",\"upToDateReplicas\":1,\"versions\":[{\"version\":\"v1.31.4\",\"replicas\":1}]},"
                + "\"workers\":{\"desiredReplicas\":2,\"readyReplicas\":" + workersReady
                + ",\"versions\":[{\"version\":\"v1.31.4\",\"replicas\":2}]}}");
    }

    /**
     * Plays Flux's helm-controller: each HelmRelease of the cluster gets the status of an installed release of the
     * version Drover committed, except the failing one, whose install failed.
     */
    private static void helmReleasesInstalled(String team, String cluster, JsonNode droverStatus, String failing) {
        Map<String, String> versions = new java.util.HashMap<>();
        droverStatus.path("addons").forEach(addon -> versions.put(addon.path("name").asText(), addon.path("version").asText()));
        JsonNode releases = dev.drover.model.schema.Json.parseObject(capi.run("get", "helmreleases.helm.toolkit.fluxcd.io", "-n", team,
                "-l", "platform.drover.dev/cluster=" + cluster, "-o", "json").succeeded().out());
        for (JsonNode release : releases.path("items")) {
            String name = release.path("metadata").path("name").asText();
            String addon = release.path("metadata").path("labels").path("platform.drover.dev/addon").asText();
            boolean fails = addon.equals(failing);
            status("helmreleases.helm.toolkit.fluxcd.io", team, name, "{\"conditions\":["
                    + condition("Ready", !fails, fails ? "InstallFailed" : "InstallSucceeded",
                    fails ? "install retries exhausted: context deadline exceeded" : "Helm install succeeded")
                    + "],\"history\":[{\"chartName\":\"" + addon + "\",\"chartVersion\":\"" + versions.get(addon)
                    + "\",\"configDigest\":\"sha256:0\",\"digest\":\"sha256:0\",\"firstDeployed\":\"" + CONDITION_TIME
                    + "\",\"lastDeployed\":\"" + CONDITION_TIME + "\",\"name\":\"" + addon + "\",\"namespace\":\"" + addon
                    + "\",\"status\":\"" + (fails ? "failed" : "deployed") + "\",\"version\":1}]}");
        }
    }

    private static String commitOf(String cluster) throws InterruptedException {
        return fleet.awaitCluster(cluster, status -> status.path("git").has("commit")).path("git").path("commit").asText();
    }

    @Test
    @Order(1)
    void aCommittedClusterWaitsForClusterApiUntilFluxAppliesIt() throws Exception {
        commitOf("search/kind-sandbox");
        JsonNode waiting = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "Provisioned").path("reason").asText().equals("WaitingForClusterAPI"));
        assertThat(FleetChecks.condition(waiting, "Ready").path("message").asText())
                .contains("the management cluster has no Cluster API Cluster search/kind-sandbox yet");
    }

    @Test
    @Order(2)
    void aClusterGoesFromProvisioningToRunningAsClusterApiAndFluxReportIt() throws Exception {
        String commit = commitOf("search/kind-sandbox");
        Path clone = fleet.clone("connected");
        capi.run("apply", "--server-side", "-k", clone.resolve("management").toString()).succeeded();
        // What the kind-sandbox-addons Kustomization applies on the management cluster: the add-ons' HelmReleases.
        capi.run("apply", "--server-side", "-k", clone.resolve("clusters/search/kind-sandbox/addons").toString()).succeeded();

        clusterApiStatus("search", "kind-sandbox", false, 0);
        JsonNode provisioning = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "Provisioned").path("reason").asText().equals("ControlPlaneNotAvailable"));
        assertThat(provisioning.path("phase").asText()).isEqualTo("Provisioning");
        assertThat(FleetChecks.condition(provisioning, "Provisioned").path("message").asText())
                .isEqualTo("control plane 0/1 not available yet: machine kind-sandbox-cp-x7k2 Provisioning");
        assertThat(FleetChecks.condition(provisioning, "Synced").path("reason").asText()).isEqualTo("NotApplied");

        clusterApiStatus("search", "kind-sandbox", true, 2);
        status("machinedeployments.cluster.x-k8s.io", "search", "kind-sandbox-workers",
                "{\"replicas\":2,\"readyReplicas\":2,\"availableReplicas\":2,\"upToDateReplicas\":2}");
        status("kustomizations.kustomize.toolkit.fluxcd.io", "search", "kind-sandbox-workload",
                "{\"lastAppliedRevision\":\"main@sha1:" + commit + "\"}");

        JsonNode failing = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "Synced").path("status").asText().equals("True"));
        helmReleasesInstalled("search", "kind-sandbox", failing, "cert-manager");
        JsonNode addonFailed = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "AddonsReady").path("message").asText().contains("failed"));
        assertThat(FleetChecks.condition(addonFailed, "AddonsReady").path("message").asText())
                .contains("HelmRelease kind-sandbox-cert-manager failed: install retries exhausted: context deadline exceeded");
        assertThat(FleetChecks.condition(addonFailed, "Ready").path("status").asText()).isEqualTo("False");

        helmReleasesInstalled("search", "kind-sandbox", failing, "");
        drover.run("wait", "--for=condition=Ready", "cluster/kind-sandbox", "-n", "search", "--timeout=60s").succeeded();
        JsonNode running = fleet.awaitCluster("search/kind-sandbox", status -> status.path("phase").asText().equals("Running"));
        assertThat(running.path("observed").path("nodePools").get(0).path("name").asText()).isEqualTo("workers");
        assertThat(running.path("observed").path("nodePools").get(0).path("ready").asInt()).isEqualTo(2);
        assertThat(running.path("observed").path("versions").toString()).contains("v1.31.4");
        assertThat(running.path("observed").path("addons")).allSatisfy(addon -> assertThat(addon.path("ready").asBoolean()).isTrue())
                .anySatisfy(addon -> assertThat(addon.path("name").asText()).isEqualTo("cert-manager"));
        assertThat(FleetChecks.condition(running, "Synced").path("message").asText())
                .contains("Flux applied main@sha1:" + commit.substring(0, 12));
        assertThat(drover.run("get", "clusters", "-n", "search").succeeded().out()).containsPattern("kind-sandbox\\s.*Running\\s+2/2");
        assertThat(drover.run("get", "--raw", "/readyz?verbose").succeeded().out())
                .contains("[+]store ok", "[+]management-cluster ok", "readyz check passed");
    }

    @Test
    @Order(3)
    void lostNodesAndALaggingFluxSayWhatTheyWaitFor() throws Exception {
        status("machinedeployments.cluster.x-k8s.io", "search", "kind-sandbox-workers",
                "{\"replicas\":2,\"readyReplicas\":1,\"availableReplicas\":1,\"upToDateReplicas\":2}");
        status("kustomizations.kustomize.toolkit.fluxcd.io", "search", "kind-sandbox-workload",
                "{\"lastAppliedRevision\":\"main@sha1:fedcba9876543210fedcba9876543210fedcba98\"}");

        JsonNode degraded = fleet.awaitCluster("search/kind-sandbox", status -> status.path("phase").asText().equals("Degraded"));
        assertThat(FleetChecks.condition(degraded, "NodesReady").path("message").asText()).isEqualTo("node pool workers 1/2 ready");
        assertThat(FleetChecks.condition(degraded, "Synced").path("message").asText())
                .startsWith("Flux applied main@sha1:fedcba987654, Drover is at ");
        String described = drover.run("describe", "cluster", "kind-sandbox", "-n", "search").succeeded().out();
        assertThat(described).contains("NodesNotReady", "node pool workers 1/2 ready");
        assertThat(described.substring(described.indexOf("Events:")))
                .containsPattern("Normal\\s+Ready\\s+.*Ready is True")
                .containsPattern("Warning\\s+NodesNotReady\\s+.*NodesReady is False: node pool workers 1/2 ready");
    }

    private static void kubeconfigSecret(String namespace, String cluster, String clientCertificate) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster: {server: "https://10.20.0.40:6443", certificate-authority-data: Q0EtREFUQQ==}
                users:
                - name: %1$s-admin
                  user: {client-certificate-data: %2$s, client-key-data: S0VZ}
                contexts:
                - name: %1$s-admin@%1$s
                  context: {cluster: %1$s, user: %1$s-admin}
                current-context: %1$s-admin@%1$s
                """.formatted(cluster, clientCertificate);
        capi.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s-kubeconfig
                  namespace: %s
                  labels: {cluster.x-k8s.io/cluster-name: %s}
                type: cluster.x-k8s.io/secret
                data:
                  value: %s
                """.formatted(cluster, namespace, cluster, java.util.Base64.getEncoder().encodeToString(kubeconfig.getBytes(
                java.nio.charset.StandardCharsets.UTF_8))), "apply", "--server-side", "--force-conflicts", "--field-manager=cluster-api",
                "-f", "-").succeeded();
    }

    private static JsonNode argoCdSecret() {
        Kubectl.Result got = capi.run("get", "secret", "cluster-data-platform-lakehouse-staging", "-n", "argocd", "-o", "json");
        return got.exitCode() == 0 ? dev.drover.model.schema.Json.parseObject(got.out()) : null;
    }

    private static String decoded(JsonNode secret, String key) {
        return new String(java.util.Base64.getDecoder().decode(secret.path("data").path(key).asText()),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode awaitArgoCdSecret(java.util.function.Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        JsonNode secret = argoCdSecret();
        while ((secret == null || !until.test(secret)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            secret = argoCdSecret();
        }
        assertThat(secret).as("the Argo CD cluster Secret").isNotNull();
        assertThat(until.test(secret)).as("the Argo CD cluster Secret: " + secret).isTrue();
        return secret;
    }

    @Test
    @Order(4)
    void anArgoCdClustersRegistrationFollowsItsKubeconfig() throws Exception {
        commitOf("data-platform/lakehouse-staging");
        fleet.awaitCluster("data-platform/lakehouse-staging", status ->
                FleetChecks.condition(status, "ArgoCDRegistered").path("reason").asText().equals("WaitingForKubeconfig"));

        kubeconfigSecret("data-platform", "lakehouse-staging", "Q0VSVC0x");
        JsonNode registered = awaitArgoCdSecret(secret -> true);
        assertThat(registered.path("metadata").path("labels").path("argocd.argoproj.io/secret-type").asText()).isEqualTo("cluster");
        assertThat(registered.path("metadata").path("labels").path("platform.drover.dev/environment").asText()).isEqualTo("staging");
        assertThat(decoded(registered, "name")).isEqualTo("data-platform.lakehouse-staging");
        assertThat(decoded(registered, "server")).isEqualTo("https://10.20.0.40:6443");
        assertThat(decoded(registered, "config")).contains("\"certData\":\"Q0VSVC0x\"", "\"caData\":\"Q0EtREFUQQ==\"");
        fleet.awaitCluster("data-platform/lakehouse-staging", status ->
                FleetChecks.condition(status, "ArgoCDRegistered").path("status").asText().equals("True"));

        kubeconfigSecret("data-platform", "lakehouse-staging", "Q0VSVC0y");
        awaitArgoCdSecret(secret -> decoded(secret, "config").contains("Q0VSVC0y"));

        capi.run("delete", "secret", "cluster-data-platform-lakehouse-staging", "-n", "argocd").succeeded();
        awaitArgoCdSecret(secret -> decoded(secret, "config").contains("Q0VSVC0y"));
    }

    private static String workloadSecretToken() {
        Kubectl.Result got = workload.kubectl().run("get", "secret", "store-credentials", "-n", "external-secrets",
                "-o", "jsonpath={.data.token}");
        return got.exitCode() == 0 ? got.out().strip() : "";
    }

    private static void awaitWorkloadSecretToken(String token) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!workloadSecretToken().equals(token) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(workloadSecretToken()).as("the copy in the workload cluster").isEqualTo(token);
    }

    private static void sourceSecret(String token) {
        capi.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata: {name: store-credentials, namespace: drover-system}
                data: {token: %s}
                """.formatted(token), "apply", "--server-side", "-f", "-").succeeded();
    }

    @Test
    @Order(5)
    void bootstrapSecretsAreCopiedIntoTheWorkloadClusterOnceItAnswersAndKeptThere() throws Exception {
        workload = ManagementTestEnv.startWorkloadOrSkip();
        capi.run("create", "namespace", "drover-system").succeeded();
        sourceSecret("czE=");
        drover.run("patch", "clusterflavor", "docker-local", "--type", "merge", "-p",
                "{\"spec\":{\"bootstrapSecrets\":[{\"name\":\"store-credentials\",\"namespace\":\"external-secrets\"}]}}")
                .succeeded();
        fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "BootstrapSecretsPushed").path("reason").asText().equals("WaitingForKubeconfig"));

        capi.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: kind-sandbox-kubeconfig
                  namespace: search
                  labels: {cluster.x-k8s.io/cluster-name: kind-sandbox}
                type: cluster.x-k8s.io/secret
                data:
                  value: %s
                """.formatted(java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(workload.kubeconfig()))),
                "apply", "--server-side", "-f", "-").succeeded();
        awaitWorkloadSecretToken("czE=");
        JsonNode pushed = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "BootstrapSecretsPushed").path("status").asText().equals("True"));
        assertThat(FleetChecks.condition(pushed, "BootstrapSecretsPushed").path("message").asText())
                .contains("external-secrets/store-credentials from drover-system/store-credentials (written ");

        sourceSecret("czI=");
        awaitWorkloadSecretToken("czI=");

        workload.kubectl().run("delete", "secret", "store-credentials", "-n", "external-secrets").succeeded();
        awaitWorkloadSecretToken("czI=");
    }

    @Test
    @Order(6)
    void promotionRefusesOnObservedReadiness() throws Exception {
        commitOf("data-platform/lakehouse-staging");
        clusterApiStatus("data-platform", "lakehouse-staging", true, 1);
        fleet.awaitCluster("data-platform/lakehouse-staging", status ->
                FleetChecks.condition(status, "NodesReady").path("reason").asText().equals("NodesNotReady"));

        DroverCli.Run refused = DroverCli.run(fleet.drover().kubeconfig(), "addon", "promote", "baseline/cert-manager",
                "--from", "staging", "--to", "production");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("data-platform/lakehouse-staging (not Ready: NotReady)", "--force");
    }

    @Test
    @Order(7)
    void anUnreachableManagementClusterMakesReadinessUnknownAndKeepsThePhase() throws Exception {
        management.stop();

        JsonNode unknown = fleet.awaitCluster("search/kind-sandbox", status ->
                FleetChecks.condition(status, "Ready").path("reason").asText().equals("ManagementClusterUnreachable"));
        assertThat(unknown.path("phase").asText()).isEqualTo("Degraded");
        assertThat(FleetChecks.condition(unknown, "Ready").path("status").asText()).isEqualTo("Unknown");
        assertThat(FleetChecks.condition(unknown, "Ready").path("message").asText()).contains("has not answered since");
        assertThat(drover.run("get", "--raw", "/readyz?verbose").succeeded().out())
                .contains("[-]management-cluster failed: unreachable since", "(not required for readiness)", "readyz check passed");
        assertThat(drover.run("get", "--raw", "/metrics").succeeded().out())
                .contains("drover_health_check_ok{check=\"store\"} 1", "drover_health_check_ok{check=\"management-cluster\"} 0")
                .containsPattern("drover_health_check_failing_seconds\\{check=\"management-cluster\"\\} [0-9]+");
    }
}
