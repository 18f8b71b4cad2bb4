package dev.drover.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.ManagementTestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Applications end to end, connected to a real kube-apiserver as the management cluster: the example checkout service
 * is committed to its clusters; the test plays Flux (it creates the cluster's Kustomizations from the committed
 * gitops.yaml and writes the status Flux would); an image update is one commit of image lines; the scan gate refuses
 * untagged, unscanned and vulnerable images with the findings, through set-image and promotion alike; a promotion waits
 * for the source environment's health; the canary steps its weights; a template change is one commit; the scaffold
 * writes the team's build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplicationsIT {

    private static final String TEAM = "payments";
    private static final String VULNERABLE = "registry.example.com/payments/checkout:1.9.0@sha256:" + "1".repeat(64);
    private static final String CLEAN = "registry.example.com/payments/checkout:1.9.1@sha256:" + "2".repeat(64);
    private static final String NEXT = "registry.example.com/payments/checkout:1.9.2@sha256:" + "3".repeat(64);
    private static final Path SCANS = Path.of("../drover-model/src/test/resources/scans");

    private static ManagementTestEnv management;
    private static ManagementTestEnv workload;
    private static FleetChecks fleet;
    private static Kubectl drover;
    private static Kubectl capi;
    private static Path clone;

    @BeforeAll
    static void start() {
        management = ManagementTestEnv.startWithOrSkip(List.of("flux"));
        capi = management.kubectl();
        capi.run("create", "namespace", TEAM).succeeded();
        fleet = FleetChecks.startFreshWithExamples("drover-applications-", Map.of(Option.MANAGEMENT_KUBECONFIG,
                management.kubeconfig().toString(), Option.WORKLOAD_SCAN_RESYNC, "1s"));
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

    private static JsonNode awaitCheckout(Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = Json.MAPPER.createObjectNode();
        while (System.nanoTime() < deadline) {
            Kubectl.Result result = drover.run("get", "application", "checkout", "-n", TEAM, "-o", "json");
            if (result.exitCode() == 0) {
                status = Json.parseObject(result.out()).path("status");
                try {
                    if (until.test(status)) {
                        return status;
                    }
                } catch (AssertionError notYet) {
                    // A condition not written yet.
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("checkout did not reach the expected status within 30 s; last status: " + status);
    }

    private static JsonNode environment(JsonNode status, String name) {
        for (JsonNode environment : status.path("environments")) {
            if (environment.path("name").asText().equals(name)) {
                return environment;
            }
        }
        throw new AssertionError("no environment " + name + " in " + status);
    }

    private static String pull() {
        GitCli.run(clone, "pull", "--quiet").succeeded();
        return GitCli.run(clone, "rev-parse", "HEAD").succeeded().output().trim();
    }

    /** Flux applied the cluster's committed files and the application's workloads are ready. */
    private static void fluxApplied(String cluster) throws InterruptedException {
        String commit = fleet.awaitCluster(TEAM + "/" + cluster, status -> status.path("git").has("commit"))
                .path("git").path("commit").asText();
        capi.run("patch", "kustomizations.kustomize.toolkit.fluxcd.io", cluster + "-app-checkout", "-n", TEAM,
                "--subresource=status", "--type=merge", "-p", "{\"status\":{\"lastAppliedRevision\":\"main@sha1:" + commit
                        + "\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"ReconciliationSucceeded\","
                        + "\"message\":\"Applied revision: main@sha1:" + commit + "\",\"lastTransitionTime\":"
                        + "\"2026-12-01T10:00:00Z\"}]}}").succeeded();
    }

    /** Plays Flux for the cluster (applies each new commit) until the cluster's Drover status satisfies the predicate. */
    private static JsonNode whileFluxApplies(String cluster, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = Json.MAPPER.createObjectNode();
        while (System.nanoTime() < deadline) {
            fluxApplied(cluster);
            status = Json.parseObject(drover.run("get", "cluster", cluster, "-n", TEAM, "-o", "json").succeeded().out())
                    .path("status");
            if (until.test(status)) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(cluster + " did not reach the expected status within 30 s; last applications: "
                + status.path("applications"));
    }

    /**
     * Plays Flux until the staging cluster's committed files hold the canary weight, then checks the weights of the
     * Ingress in that commit: the weight to the Service, the rest to the legacy target group.
     */
    private static void committedWeight(int weight) throws Exception {
        JsonNode status = whileFluxApplies("payments-staging", cluster -> cluster.path("applications").path(0)
                .path("canaryWeight").asInt(-1) == weight);
        pull();
        String ingress = GitCli.run(clone, "show", status.path("git").path("commit").asText() + ":"
                + "clusters/payments/payments-staging/apps/checkout/ingress.yaml").succeeded().output();
        assertThat(ingress).contains("\\\"serviceName\\\":\\\"checkout\\\",\\\"servicePort\\\":\\\"8080\\\",\\\"weight\\\":"
                + weight + "}", "\\\"weight\\\":" + (100 - weight) + "}]");
    }

    private static DroverCli.Run cli(String... arguments) {
        return DroverCli.run(fleet.drover().kubeconfig(), arguments);
    }

    private static Path report(String fixture, String digestDigit) throws Exception {
        String text = Files.readString(SCANS.resolve(fixture));
        String original = fixture.contains("vulnerable") ? "1" : "2";
        Path file = fleet.workDirectory().resolve(fixture.replace(".json", "-" + digestDigit + ".json"));
        Files.writeString(file, text.replace(original.repeat(64), digestDigit.repeat(64)));
        return file;
    }

    @Test
    @Order(1)
    void fiveFieldsGiveEveryTargetClusterTheStandardObjectsAndFluxAppliesThem() throws Exception {
        JsonNode rendered = awaitCheckout(status -> FleetChecks.condition(status, "Rendered").path("status").asText()
                .equals("True"));
        assertThat(rendered.path("clusters")).extracting(cluster -> cluster.path("name").asText())
                .containsExactlyInAnyOrder("payments/payments-dev", "payments/payments-staging");
        assertThat(rendered.path("templateRevision").asLong()).isEqualTo(1);
        clone = fleet.clone("applications");
        for (String file : List.of("deployment.yaml", "service.yaml", "serviceaccount.yaml", "hpa.yaml", "pdb.yaml",
                "networkpolicy.yaml", "kustomization.yaml")) {
            assertThat(clone.resolve("clusters/payments/payments-dev/apps/checkout/" + file)).exists();
        }
        assertThat(clone.resolve("clusters/payments/payments-staging/apps/checkout/ingress.yaml")).exists();
        // Not applied yet: the health says what is missing.
        assertThat(FleetChecks.condition(rendered, "Healthy").path("message").asText())
                .contains("nothing applies it on the management cluster yet");
        for (String cluster : List.of("payments-dev", "payments-staging")) {
            capi.run("apply", "--server-side", "-f", clone.resolve("management/aws/clusters/payments/" + cluster
                    + "/gitops.yaml").toString()).succeeded();
            fluxApplied(cluster);
        }
        JsonNode healthy = awaitCheckout(status -> FleetChecks.condition(status, "Healthy").path("status").asText()
                .equals("True"));
        assertThat(environment(healthy, "staging").path("healthy").asText()).isEqualTo("True");
        assertThat(healthy.path("summary").asText()).isEqualTo("2/2 committed, 2/2 healthy");
    }

    @Test
    @Order(2)
    void setImageCommitsTheImageLinesAndNothingElse() throws Exception {
        String before = pull();
        assertThat(cli("app", "set-image", "checkout", "-n", TEAM, CLEAN).exitCode()).isZero();
        fleet.awaitCluster(TEAM + "/payments-dev", status -> status.path("applications").toString().contains(CLEAN));
        fleet.awaitCluster(TEAM + "/payments-staging", status -> status.path("applications").toString().contains(CLEAN));
        pull();
        String diff = GitCli.run(clone, "diff", "--unified=0", before, "HEAD").succeeded().output();
        List<String> changed = diff.lines().filter(line -> (line.startsWith("+") || line.startsWith("-"))
                && !line.startsWith("+++") && !line.startsWith("---")).toList();
        assertThat(changed).containsExactlyInAnyOrder(
                "-          image: registry.example.com/payments/checkout:1.8.2", "+          image: " + CLEAN,
                "-          image: registry.example.com/payments/checkout:1.8.2", "+          image: " + CLEAN);
        assertThat(GitCli.run(clone, "diff", "--name-only", before, "HEAD").succeeded().output().lines().toList())
                .containsExactlyInAnyOrder("clusters/payments/payments-dev/apps/checkout/deployment.yaml",
                        "clusters/payments/payments-staging/apps/checkout/deployment.yaml");
        // The advanced settings are there as given.
        assertThat(Files.readString(clone.resolve("clusters/payments/payments-staging/apps/checkout/deployment.yaml")))
                .contains("SPRING_PROFILES_ACTIVE", "containerPort: 9090");
    }

    @Test
    @Order(3)
    void theScanGateKeepsUntaggedUnscannedAndVulnerableImagesOutOfProductionWithTheReasons() throws Exception {
        String withProduction = "{\"spec\":{\"environments\":[{\"name\":\"development\"},{\"name\":\"staging\",\"clusters\":"
                + "[\"payments-staging\"]},{\"name\":\"production\",\"clusters\":[\"payments-prod\"],\"image\":\"%s\"}]}}";
        Kubectl.Result tagged = drover.run("patch", "application", "checkout", "-n", TEAM, "--type=merge", "-p",
                withProduction.formatted("registry.example.com/payments/checkout:1.9.1"));
        assertThat(tagged.exitCode()).isNotZero();
        assertThat(tagged.err()).contains("spec.environments[2].image", "must be pinned by digest");
        Kubectl.Result unscanned = drover.run("patch", "application", "checkout", "-n", TEAM, "--type=merge", "-p",
                withProduction.formatted(CLEAN));
        assertThat(unscanned.err()).contains("has reported none for sha256:" + "2".repeat(64), "drover app scan-result checkout");

        DroverCli.Run blocked = cli("app", "scan-result", "checkout", "-n", TEAM, "--image", VULNERABLE, "--file",
                SCANS.resolve("trivy-checkout-vulnerable.json").toString());
        // Recorded; no environment of the application has a gate yet, so none is blocked.
        assertThat(blocked.exitCode()).isZero();
        assertThat(blocked.out()).contains("1 CRITICAL, 2 HIGH, 1 MEDIUM", "staging: no gate");
        Kubectl.Result vulnerable = drover.run("patch", "application", "checkout", "-n", TEAM, "--type=merge", "-p",
                withProduction.formatted(VULNERABLE));
        assertThat(vulnerable.err()).contains("blocked by the scan gate of environment production", "3 blocking finding(s)",
                "CVE-2022-22965 (CRITICAL) in org.springframework:spring-beans 5.3.17");
        // A report of other bytes than the image named is refused.
        DroverCli.Run mismatched = cli("app", "scan-result", "checkout", "-n", TEAM, "--image", NEXT, "--file",
                SCANS.resolve("trivy-checkout-clean.json").toString());
        assertThat(mismatched.err()).contains("the report is of sha256:" + "2".repeat(64));

        assertThat(cli("app", "scan-result", "checkout", "-n", TEAM, "--image", CLEAN, "--file",
                SCANS.resolve("trivy-checkout-clean.json").toString()).exitCode()).isZero();
        drover.run("patch", "application", "checkout", "-n", TEAM, "--type=merge", "-p", withProduction.formatted(CLEAN))
                .succeeded();
        JsonNode passed = awaitCheckout(status -> FleetChecks.condition(status, "ScanPassed").path("reason").asText()
                .equals("ScanPassed"));
        assertThat(environment(passed, "production").path("scan").asText()).startsWith("passed: no findings");
        // Drift: the image's next scan finds what the gate blocks.
        cli("app", "scan-result", "checkout", "-n", TEAM, "--image", CLEAN, "--file",
                report("trivy-checkout-vulnerable.json", "2").toString());
        JsonNode drifted = awaitCheckout(status -> FleetChecks.condition(status, "ScanPassed").path("status").asText()
                .equals("False"));
        assertThat(FleetChecks.condition(drifted, "ScanPassed").path("message").asText())
                .contains("production: " + CLEAN + " has 3 finding(s)", "CVE-2022-22965");
    }

    @Test
    @Order(4)
    void aPromotionWaitsForTheSourceEnvironmentsHealthAndPassesTheTargetsGate() throws Exception {
        assertThat(cli("app", "scan-result", "checkout", "-n", TEAM, "--image", NEXT, "--file",
                report("trivy-checkout-clean.json", "3").toString()).exitCode()).isZero();
        assertThat(cli("app", "set-image", "checkout", "-n", TEAM, NEXT, "--environment", "staging").exitCode()).isZero();
        fleet.awaitCluster(TEAM + "/payments-staging", status -> status.path("applications").toString().contains(NEXT));
        DroverCli.Run early = cli("app", "promote", "checkout", "-n", TEAM, "--from", "staging", "--to", "production");
        assertThat(early.exitCode()).isNotZero();
        assertThat(early.err()).contains("cannot promote " + NEXT + " from staging to production");

        fluxApplied("payments-staging");
        awaitCheckout(status -> environment(status, "staging").path("healthy").asText().equals("True")
                && environment(status, "staging").path("image").asText().equals(NEXT));
        DroverCli.Run promoted = cli("app", "promote", "checkout", "-n", TEAM, "--from", "staging", "--to", "production");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("production -> " + NEXT);

        // Staging at the vulnerable image: healthy, but the production gate says which findings block it.
        assertThat(cli("app", "set-image", "checkout", "-n", TEAM, VULNERABLE, "--environment", "staging").exitCode()).isZero();
        fleet.awaitCluster(TEAM + "/payments-staging", status -> status.path("applications").toString().contains(VULNERABLE));
        fluxApplied("payments-staging");
        awaitCheckout(status -> environment(status, "staging").path("healthy").asText().equals("True")
                && environment(status, "staging").path("image").asText().equals(VULNERABLE));
        DroverCli.Run refused = cli("app", "promote", "checkout", "-n", TEAM, "--from", "staging", "--to", "production");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("blocked by the scan gate of environment production", "CVE-2022-22965");
    }

    @Test
    @Order(5)
    void theCanaryStepsItsWeightsFromTheLegacyTargetGroupToTheService() throws Exception {
        // Step 0 lasts 30 minutes as the example has it; with short pauses the steps follow one another.
        committedWeight(10);
        drover.run("patch", "application", "checkout", "-n", TEAM, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/delivery/canary/steps\",\"value\":[{\"weight\":10,\"pause\":\"1s\"},"
                        + "{\"weight\":50,\"pause\":\"1s\"},{\"weight\":100}]}]").succeeded();
        committedWeight(50);
        committedWeight(100);
        JsonNode completed = awaitCheckout(status -> status.path("canary").path("phase").asText().equals("Completed"));
        assertThat(completed.path("canary").path("weight").asInt()).isEqualTo(100);

        assertThat(cli("app", "canary", "abort", "checkout", "-n", TEAM).exitCode()).isZero();
        committedWeight(0);
        assertThat(awaitCheckout(status -> status.path("canary").path("phase").asText().equals("Aborted"))
                .path("canary").path("weight").asInt()).isZero();
    }

    @Test
    @Order(6)
    void aTemplateChangeReRendersItsApplicationsAsOneCommit() throws Exception {
        String before = pull();
        drover.run("patch", "apptemplate", "java-service", "--type=merge", "-p", "{\"spec\":{\"targetCpuUtilization\":65}}")
                .succeeded();
        JsonNode current = awaitCheckout(status -> status.path("templateRevision").asLong() == 2);
        assertThat(FleetChecks.condition(current, "Rendered").path("status").asText()).isEqualTo("True");
        String head = pull();
        assertThat(GitCli.run(clone, "rev-list", "--count", before + ".." + head).succeeded().output().trim()).isEqualTo("1");
        assertThat(GitCli.run(clone, "diff", "--name-only", before, head).succeeded().output().lines().toList())
                .allMatch(path -> path.contains("/apps/checkout/"))
                .contains("clusters/payments/payments-dev/apps/checkout/hpa.yaml",
                        "clusters/payments/payments-staging/apps/checkout/hpa.yaml",
                        "clusters/payments/payments-prod/apps/checkout/deployment.yaml");
        assertThat(Files.readString(clone.resolve("clusters/payments/payments-prod/apps/checkout/hpa.yaml")))
                .contains("averageUtilization: 65");
        assertThat(fleet.awaitObject("apptemplates", "java-service", status -> status.path("current").asInt() == 1)
                .path("applications").asInt()).isEqualTo(1);
        // A change that would leave an Application invalid is refused, naming it.
        Kubectl.Result removing = drover.run("patch", "apptemplate", "java-service", "--type=merge", "-p",
                "{\"spec\":{\"allowedAdvanced\":[\"variables\"]}}");
        assertThat(removing.err()).contains("payments/checkout", "spec.advanced.extraPorts: Forbidden");
        Kubectl.Result deleting = drover.run("delete", "apptemplate", "java-service");
        assertThat(deleting.err()).contains("1 Application(s) are built to it: payments/checkout");
    }

    @Test
    @Order(7)
    void theScaffoldWritesTheTeamsBuildAndOnlyTheTeamSeesIt() throws Exception {
        Path directory = fleet.workDirectory().resolve("checkout-repository");
        DroverCli.Run scaffold = cli("app", "scaffold", "checkout", "-n", TEAM, "--dir", directory.toString());
        assertThat(scaffold.exitCode()).as(scaffold.err()).isZero();
        assertThat(Files.readString(directory.resolve("Dockerfile"))).contains("FROM maven:3.9.9-eclipse-temurin-21@sha256:");
        assertThat(Files.readString(directory.resolve(".github/workflows/drover.yaml")))
                .contains("drover app scan-result checkout -n payments");
        assertThat(directory.resolve("Jenkinsfile")).exists();
        assertThat(cli("app", "scaffold", "checkout", "-n", TEAM, "--dir", directory.toString()).err()).contains("exists");

        String searchToken = DroverCli.teamToken(fleet.drover().kubeconfig(), "search");
        assertThat(drover.run("--token", searchToken, "get", "--raw", "/apis/platform.drover.dev/v1alpha1/namespaces/payments/applications/checkout"
                + "/scaffold").err()).contains("forbidden");
    }

    @Test
    @Order(8)
    void whatTrivyOperatorFindsInTheRunningImageFailsTheGateOfItsEnvironment() throws Exception {
        workload = ManagementTestEnv.startWorkloadOrSkip();
        Kubectl cluster = workload.kubectl();
        // trivy-operator's CRD as far as Drover reads it (the upstream one validates more).
        cluster.runWithInput("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: vulnerabilityreports.aquasecurity.github.io}
                spec:
                  group: aquasecurity.github.io
                  names: {kind: VulnerabilityReport, listKind: VulnerabilityReportList, plural: vulnerabilityreports,
                          singular: vulnerabilityreport}
                  scope: Namespaced
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """, "apply", "-f", "-").succeeded();
        cluster.run("wait", "--for=condition=Established", "crd/vulnerabilityreports.aquasecurity.github.io", "--timeout=30s")
                .succeeded();
        cluster.run("create", "namespace", TEAM).succeeded();
        // Cluster API's kubeconfig Secret of payments-prod on the management cluster, for this API server.
        capi.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: payments-prod-kubeconfig
                  namespace: payments
                  labels: {cluster.x-k8s.io/cluster-name: payments-prod}
                type: cluster.x-k8s.io/secret
                data:
                  value: %s
                """.formatted(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(workload.kubeconfig()))),
                "apply", "--server-side", "-f", "-").succeeded();
        String digest = NEXT.substring(NEXT.indexOf('@') + 1);
        cluster.runWithInput("""
                apiVersion: aquasecurity.github.io/v1alpha1
                kind: VulnerabilityReport
                metadata:
                  name: replicaset-checkout-6d8f7c9b5-app
                  namespace: payments
                  labels: {trivy-operator.resource.kind: ReplicaSet, trivy-operator.container.name: app}
                report:
                  artifact: {repository: payments/checkout, tag: 1.9.2, digest: "%s"}
                  registry: {server: registry.example.com}
                  scanner: {name: Trivy, vendor: Aqua Security, version: 0.58.1}
                  summary: {criticalCount: 1, highCount: 0, mediumCount: 0, lowCount: 0, unknownCount: 0}
                  vulnerabilities:
                  - vulnerabilityID: CVE-2024-45337
                    resource: golang.org/x/crypto
                    installedVersion: v0.30.0
                    fixedVersion: 0.31.0
                    severity: CRITICAL
                    title: "golang.org/x/crypto/ssh: Misuse of ServerConfig.PublicKeyCallback may cause authorization bypass"
                """.formatted(digest), "apply", "-f", "-").succeeded();
        JsonNode drifted = awaitCheckout(status -> FleetChecks.condition(status, "ScanPassed").path("message").asText()
                .contains("trivy-operator"));
        assertThat(FleetChecks.condition(drifted, "ScanPassed").path("message").asText())
                .contains("production: trivy-operator in payments/payments-prod reports 1 finding(s) the gate blocks in "
                        + digest, "CVE-2024-45337 (CRITICAL) in golang.org/x/crypto v0.30.0, fixed in 0.31.0");
    }

    @Test
    @Order(9)
    void aDeletedApplicationLeavesItsClustersInOneCommit() throws Exception {
        String before = pull();
        drover.run("delete", "application", "ledger-worker", "-n", TEAM).succeeded();
        fleet.awaitCluster(TEAM + "/payments-dev", status -> !status.path("applications").toString().contains("ledger-worker"));
        String head = pull();
        assertThat(GitCli.run(clone, "rev-list", "--count", before + ".." + head).succeeded().output().trim()).isEqualTo("1");
        assertThat(clone.resolve("clusters/payments/payments-dev/apps/ledger-worker")).doesNotExist();
        assertThat(Files.readString(clone.resolve("management/aws/clusters/payments/payments-dev/gitops.yaml")))
                .doesNotContain("payments-dev-app-ledger-worker").contains("payments-dev-app-checkout");
    }
}
