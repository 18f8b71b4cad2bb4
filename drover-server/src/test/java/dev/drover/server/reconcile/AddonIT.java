package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Standard add-ons end to end: the example profiles on the example clusters, a version change by kubectl, promotion
 * with the drover CLI, conflicts between profiles and the refusals of admission. Ordered, because each test
 * counts the commits it causes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AddonIT {

    private static final List<String> EKS_CLUSTERS = List.of("payments/payments-dev", "payments/payments-staging",
            "payments/payments-prod");

    private static FleetChecks fleet;
    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        fleet = FleetChecks.startFreshWithExamples("drover-addon-it-");
        drover = fleet.drover();
        kubectl = fleet.kubectl();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    @Order(1)
    void everyExampleClusterGetsTheStandardSetOfItsFlavorAndEnvironment() throws Exception {
        JsonNode prod = fleet.awaitCluster("payments/payments-prod", status -> status.path("addons").size() == 9);
        assertThat(addon(prod, "cert-manager").path("version").asText()).as("production pin").isEqualTo("v1.18.2");
        assertThat(addon(prod, "kube-prometheus-stack").path("profile").asText()).as("priority 10 wins").isEqualTo("payments-observability");
        fleet.awaitCluster("search/search-dev", status -> status.path("addons").size() == 9);
        fleet.awaitCluster("data-platform/lakehouse-prod", status -> status.path("addons").size() == 11);
        fleet.awaitObject("addonprofiles", "baseline", status -> status.path("clusters").asInt() == 10);

        Path clone = fleet.clone("examples");
        Path payments = clone.resolve("clusters/payments/payments-prod/addons");
        assertThat(payments.resolve("karpenter.yaml")).content().contains("kind: HelmRelease", "kind: OCIRepository",
                "clusterName: payments-payments-prod", "name: payments-prod-kubeconfig",
                "eks.amazonaws.com/role-arn: arn:aws:iam::333333333333:role/payments-payments-prod-karpenter");
        assertThat(clone.resolve("clusters/search/kind-sandbox/addons/cluster-autoscaler.yaml")).as("on the management cluster")
                .content().contains("releaseName: kind-sandbox-cluster-autoscaler", "targetNamespace: search",
                        "clusterAPIKubeconfigSecret: kind-sandbox-kubeconfig").doesNotContain("kubeConfig:");
        assertThat(payments.resolve("external-secrets.yaml")).content().contains("dependsOn:", "name: payments-prod-cert-manager");
        assertThat(payments.resolve("kube-prometheus-stack.yaml")).content().contains("retention: 90d");
        assertThat(clone.resolve("clusters/search/search-dev/addons/kube-prometheus-stack.yaml")).as("excluded").doesNotExist();
        assertThat(clone.resolve("clusters/search/search-prod/addons/overprovisioning.yaml")).content().contains("replicaCount: 2");
        assertThat(clone.resolve("clusters/data-platform/lakehouse-prod/addons/vsphere-csi.yaml")).content()
                .contains("kind: Application", "name: data-platform.lakehouse-prod", "targetRevision: v3.5.0");
        assertThat(clone.resolve("management/aws/clusters/payments/payments-prod/gitops.yaml")).content().contains("payments-prod-addons");

        String table = kubectl.run("get", "addonprofiles").succeeded().out();
        assertThat(table).contains("VERSIONS", "cert-manager v1.19.1×7 v1.18.2×3");
        assertThat(kubectl.run("get", "clusters", "-A", "-o", "wide").succeeded().out()).contains("ADD-ONS", "cert-manager,");
    }

    @Test
    @Order(2)
    void aVersionChangeInOneProfileIsOneCommitTouchingExactlyTheMatchingClusters() throws Exception {
        for (String cluster : EKS_CLUSTERS) {
            fleet.awaitCluster(cluster, status -> addon(status, "karpenter").path("version").asText().equals("1.14.1"));
        }
        String head = drover.server().fleet().head().orElseThrow().name();
        kubectl.run("patch", "addonprofile", "eks", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/addons/1/version\",\"value\":\"1.14.2\"}]").succeeded();
        String commit = "";
        for (String cluster : EKS_CLUSTERS) {
            commit = fleet.awaitCluster(cluster, status -> addon(status, "karpenter").path("version").asText().equals("1.14.2"))
                    .path("git").path("commit").asText();
        }
        Path clone = fleet.clone("karpenter");
        assertThat(GitCli.run(clone, "rev-list", "--count", head + ".." + commit).succeeded().output().trim()).isEqualTo("1");
        assertThat(changedFiles(clone, head, commit)).containsExactly("clusters/payments/payments-dev/addons/karpenter.yaml",
                "clusters/payments/payments-prod/addons/karpenter.yaml", "clusters/payments/payments-staging/addons/karpenter.yaml");
        fleet.awaitObject("addonprofiles", "eks", status -> status.path("summary").asText().contains("karpenter 1.14.2×3"));
    }

    @Test
    @Order(3)
    void aForcedPromotionMakesOneCommitAndAnUncheckedOneWarnsThatReadinessIsUnknown() throws Exception {
        fleet.awaitCluster("data-platform/lakehouse-staging", status -> addon(status, "cert-manager").has("version"));
        String head = drover.server().fleet().head().orElseThrow().name();
        DroverCli.Run forced = DroverCli.run(drover.kubeconfig(), "addon", "promote", "baseline/cert-manager",
                "--from", "staging", "--to", "production", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("cert-manager production -> v1.19.1");
        String commit = "";
        for (String cluster : List.of("payments/payments-prod", "search/search-prod", "data-platform/lakehouse-prod")) {
            commit = fleet.awaitCluster(cluster, status -> addon(status, "cert-manager").path("version").asText().equals("v1.19.1"))
                    .path("git").path("commit").asText();
        }
        Path clone = fleet.clone("promoted");
        assertThat(GitCli.run(clone, "rev-list", "--count", head + ".." + commit).succeeded().output().trim()).isEqualTo("1");
        assertThat(changedFiles(clone, head, commit)).containsExactly(
                "clusters/data-platform/lakehouse-prod/addons/cert-manager.yaml",
                "clusters/payments/payments-prod/addons/cert-manager.yaml", "clusters/search/search-prod/addons/cert-manager.yaml");

        DroverCli.Run checked = DroverCli.run(drover.kubeconfig(), "addon", "promote", "aws/external-dns",
                "--from", "staging", "--to", "production");
        assertThat(checked.exitCode()).as(checked.err()).isZero();
        assertThat(checked.err()).contains("readiness is unknown");
        fleet.awaitCluster("payments/payments-prod", status -> addon(status, "external-dns").path("version").asText().equals("1.19.0"));
    }

    @Test
    @Order(4)
    void profilesThatTieOnAnAddonStopOnlyTheClustersTheyShare() throws Exception {
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: AddonProfile
                metadata: {name: search-ingress}
                spec:
                  priority: 5
                  clusterSelector: {matchLabels: {platform.drover.dev/team: search}}
                  addons:
                  - {name: ingress-nginx, namespace: ingress-nginx, version: 4.12.0,
                     chart: {repository: https://kubernetes.github.io/ingress-nginx, name: ingress-nginx}}
                """, "apply", "-f", "-").succeeded();
        JsonNode status = fleet.awaitCluster("search/search-prod", candidate ->
                candidate.path("conditions").toString().contains("AddonConflict"));
        assertThat(FleetChecks.condition(status, "Rendered").path("message").asText())
                .contains("\"ingress-nginx\"", "search-ingress and self-managed");
        assertThat(addon(status, "ingress-nginx").path("version").asText()).as("last committed stays").isEqualTo("4.13.3");
        JsonNode profile = fleet.awaitObject("addonprofiles", "self-managed", candidate ->
                candidate.path("conditions").toString().contains("AddonConflict"));
        assertThat(FleetChecks.condition(profile, "Conflicting").path("message").asText()).contains("search/search-prod");

        kubectl.run("delete", "addonprofile", "search-ingress").succeeded();
        fleet.awaitCluster("search/search-prod", candidate ->
                FleetChecks.condition(candidate, "Rendered").path("status").asText().equals("True"));
    }

    @Test
    @Order(5)
    void admissionRefusesBadProfilesAndChoicesNamingTheFieldAndTheFix() {
        Kubectl.Result placeholder = kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: AddonProfile
                metadata: {name: typo}
                spec:
                  addons:
                  - {name: a, namespace: a, version: 1.0.0, chart: {repository: https://charts.example.com, name: a},
                     values: {owner: "${team.nam}"}, dependsOn: [b]}
                  - {name: b, namespace: b, version: 1.0.0, chart: {repository: https://charts.example.com, name: b}, dependsOn: [a]}
                """, "apply", "-f", "-");
        assertThat(placeholder.exitCode()).isNotZero();
        assertThat(placeholder.err()).contains("spec.addons[0].values.owner", "${team.nam}", "unknown placeholder",
                "a -> b -> a");

        Kubectl.Result override = kubectl.run("patch", "cluster", "payments-dev", "-n", "payments", "--type", "merge", "-p",
                "{\"spec\":{\"addons\":{\"overrides\":{\"kube-prometheus-stack\":{\"grafana\":{\"enabled\":false}}}}}}");
        assertThat(override.exitCode()).isNotZero();
        assertThat(override.err()).contains("spec.addons.overrides.kube-prometheus-stack.grafana.enabled",
                "only these values", "prometheus.prometheusSpec.retention");
        assertThat(kubectl.run("get", "addonprofile", "typo").exitCode()).isNotZero();
    }

    private static JsonNode addon(JsonNode status, String name) {
        for (JsonNode addon : status.path("addons")) {
            if (addon.path("name").asText().equals(name)) {
                return addon;
            }
        }
        return status.path("missing");
    }

    private static List<String> changedFiles(Path clone, String from, String to) {
        return Arrays.asList(GitCli.run(clone, "diff", "--name-only", from, to).succeeded().output().trim().split("\n"));
    }
}
