package dev.drover.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.server.testing.FleetChecks;
import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster factory end to end: the example organisation rendered and committed by the running server,
 * cloned with the git CLI, changed and deleted with kubectl.
 */
class FleetIT {

    private static final List<String> EXAMPLE_CLUSTERS = List.of("data-platform/lakehouse-prod", "data-platform/lakehouse-staging",
            "data-platform/notebooks-dev", "data-platform/shared-dev-host", "payments/payments-dev", "payments/payments-prod", "payments/payments-staging",
            "search/kind-sandbox", "search/search-dev", "search/search-prod");

    private static FleetChecks fleet;
    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        fleet = FleetChecks.startFreshWithExamples("drover-fleet-it-");
        drover = fleet.drover();
        kubectl = fleet.kubectl();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void everyExampleClusterIsCommittedAndClonesWithTheGitCli() throws Exception {
        Map<String, String> paths = new java.util.TreeMap<>();
        for (String cluster : EXAMPLE_CLUSTERS) {
            paths.put(cluster, fleet.awaitCluster(cluster, status -> status.path("git").has("commit")
                    && status.path("phase").asText().equals("Provisioning")).path("git").path("path").asText());
        }
        Path clone = fleet.clone("all");
        for (String cluster : EXAMPLE_CLUSTERS) {
            assertThat(clone.resolve(paths.get(cluster) + "/cluster.yaml")).isRegularFile();
            assertThat(clone.resolve(paths.get(cluster) + "/gitops.yaml")).isRegularFile();
            assertThat(clone.resolve("clusters/" + cluster + "/tenancy/namespaces.yaml")).isRegularFile();
        }
        // Each provider's clusters under its own entry, the AWS roles with the AWS provider's, none in the teams'.
        assertThat(paths).containsEntry("payments/payments-prod", "management/aws/clusters/payments/payments-prod")
                .containsEntry("search/kind-sandbox", "management/docker/clusters/search/kind-sandbox")
                .containsEntry("data-platform/lakehouse-prod", "management/vsphere/clusters/data-platform/lakehouse-prod");
        assertThat(clone.resolve("management/aws/identities/payments.yaml")).isRegularFile();
        assertThat(clone.resolve("management/teams/payments")).isDirectoryNotContaining("glob:**/identities.yaml");
        // Each flavor says what its provider needs beyond the files.
        JsonNode eks = fleet.awaitObject("clusterflavors", "eks-standard", status -> status.path("prerequisites").size() > 0);
        assertThat(eks.path("prerequisites").findValuesAsText("name")).contains("capa", "aws-iam", "api-endpoint", "flux");
        assertThat(eks.path("observedGeneration").asLong()).isEqualTo(1);

        String wide = kubectl.run("get", "clusters", "-A", "-o", "wide").succeeded().out();
        String head = GitCli.run(clone, "rev-parse", "HEAD").succeeded().output().trim();
        assertThat(wide).contains("COMMIT").contains("Provisioning");
        assertThat(wide.lines().filter(line -> line.contains("Provisioning")).count()).isEqualTo(EXAMPLE_CLUSTERS.size());

        String commit = fleet.awaitCluster("payments/payments-prod", status -> status.path("git").has("commit"))
                .path("git").path("commit").asText();
        assertThat(GitCli.run(clone, "merge-base", "--is-ancestor", commit, head).exitCode()).isZero();
        String described = kubectl.run("describe", "cluster", "payments-prod", "-n", "payments").succeeded().out();
        assertThat(described).contains("Rendered", "Committed", "NotConnected", "set --management-kubeconfig", commit.substring(0, 12));
        assertThat(described.substring(described.indexOf("Events:"))).as("the events kubectl describe finds")
                .containsPattern("Normal\\s+Committed\\s+.*drover-fleet\\s+Committed is True: commit ")
                .containsPattern("Normal\\s+Rendered\\s+");
        String events = kubectl.run("get", "events", "-n", "payments").succeeded().out();
        assertThat(events.lines().findFirst().orElseThrow()).containsSubsequence("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        assertThat(events).contains("cluster/payments-prod", "Committed is True");
        assertThat(kubectl.run("get", "events", "-A", "--field-selector", "involvedObject.name=payments-prod,reason=Committed",
                "-o", "name").succeeded().out().lines()).hasSize(1);
    }

    @Test
    void cloningWithoutATokenIsRefusedWithAHint() throws Exception {
        String url = drover.server().gitUrl();
        GitCli.Result refused = GitCli.run(fleet.workDirectory(), "clone", url, fleet.workDirectory().resolve("anonymous").toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("could not read Username");
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url + "/info/refs?service=git-upload-pack")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Drover fleet repository\"");
        assertThat(response.body()).contains("a fleet-reader or platform-admin token is needed", "--fleet-reader");
        GitCli.Result push = GitCli.run(fleet.clone("pusher"), "push", "origin", "HEAD:refs/heads/other");
        assertThat(push.exitCode()).isNotZero();
    }

    @Test
    void onlyFleetReaderAndAdminTokensCloneAndAFleetReaderCannotUseTheApiButMayScrapeMetrics() throws Exception {
        Path kubeconfig = fleet.drover().kubeconfig();
        String teamToken = dev.drover.server.testing.DroverCli.teamToken(kubeconfig, "payments");
        dev.drover.server.testing.DroverCli.Run created = dev.drover.server.testing.DroverCli.run(kubeconfig, "token",
                "create", "--fleet-reader", "--description", "flux");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.err()).contains("fleet reader");
        String readerToken = created.out().strip();
        String url = drover.server().gitUrl();

        GitCli.Result asTeam = GitCli.run(fleet.workDirectory(), "-c", "http.extraHeader=Authorization: Bearer " + teamToken,
                "clone", url, fleet.workDirectory().resolve("as-team").toString());
        assertThat(asTeam.exitCode()).isNotZero();
        assertThat(asTeam.output()).contains("403");
        GitCli.run(fleet.workDirectory(), "-c", "http.extraHeader=Authorization: Bearer " + readerToken,
                "clone", "--quiet", url, fleet.workDirectory().resolve("as-reader").toString()).succeeded();
        assertThat(fleet.workDirectory().resolve("as-reader/clusters")).isDirectory();

        Kubectl.Result onTheApi = new Kubectl(kubeconfig).run("--token", readerToken, "get", "--raw",
                "/apis/platform.drover.dev/v1alpha1/clusters");
        assertThat(onTheApi.exitCode()).isNotZero();
        assertThat(onTheApi.err()).contains("Forbidden", "fleet-reader token", "only clone and fetch the fleet repository");
        Kubectl.Result scraped = new Kubectl(kubeconfig).run("--token", readerToken, "get", "--raw", "/metrics");
        assertThat(scraped.exitCode()).as("a monitoring system scrapes with a fleet-reader token").isZero();
        assertThat(scraped.out()).contains("drover_leader");
        assertThat(new Kubectl(kubeconfig).run("--token", "drover_not-issued", "get", "--raw", "/metrics").err())
                .contains("Unauthorized");
        assertThat(dev.drover.server.testing.DroverCli.run(kubeconfig, "token", "list").out())
                .containsPattern("t-\\w+\\s+fleet-reader\\s+.*flux");
    }

    @Test
    void changingANodePoolMakesOneCommitTouchingOnlyThatCluster() throws Exception {
        for (String cluster : EXAMPLE_CLUSTERS.subList(0, 6)) {
            fleet.awaitCluster(cluster, status -> status.path("git").has("commit"));
        }
        String before = fleet.awaitCluster("payments/payments-staging", status -> status.path("git").has("commit"))
                .path("git").path("commit").asText();
        String head = drover.server().fleet().head().orElseThrow().name();
        kubectl.run("patch", "cluster", "payments-staging", "-n", "payments", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":7}]").succeeded();
        JsonNode status = fleet.awaitCluster("payments/payments-staging",
                candidate -> !candidate.path("git").path("commit").asText().equals(before) && candidate.path("observedGeneration").asLong() == 2);
        String after = status.path("git").path("commit").asText();
        Path clone = fleet.clone("patched");
        assertThat(GitCli.run(clone, "rev-list", "--count", head + ".." + after).succeeded().output().trim()).isEqualTo("1");
        List<String> changed = Arrays.asList(GitCli.run(clone, "diff", "--name-only", head, after).succeeded().output().trim().split("\n"));
        assertThat(changed).containsExactly("management/aws/clusters/payments/payments-staging/workers.yaml");
        assertThat(GitCli.run(clone, "log", "-1", "--format=%B", after).succeeded().output())
                .contains("payments/payments-staging: generation 2");
    }

    @Test
    void deletingAClusterRemovesItsFilesBeforeItGoes() throws Exception {
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: throwaway, namespace: search}
                spec: {flavor: docker-local, environment: development}
                """, "apply", "-f", "-").succeeded();
        fleet.awaitCluster("search/throwaway", status -> status.path("git").has("commit"));
        assertThat(fleet.clone("before-delete").resolve("management/docker/clusters/search/throwaway/cluster.yaml")).isRegularFile();
        kubectl.run("delete", "cluster", "throwaway", "-n", "search", "--timeout=60s").succeeded();
        assertThat(kubectl.run("get", "cluster", "throwaway", "-n", "search").exitCode()).isNotZero();
        Path clone = fleet.clone("deleted");
        assertThat(clone.resolve("management/docker/clusters/search/throwaway")).doesNotExist();
        assertThat(clone.resolve("clusters/search/throwaway")).doesNotExist();
        assertThat(Files.readString(clone.resolve("management/docker/clusters/search/kustomization.yaml"))).doesNotContain("throwaway");
        assertThat(GitCli.run(clone, "log", "-1", "--format=%B").succeeded().output()).contains("search/throwaway: removed");
    }

    @Test
    void aClusterThatCannotBeRenderedSaysWhyAndLeavesGitAlone() throws Exception {
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: ClusterFlavor
                metadata: {name: vsphere-incomplete}
                spec:
                  provider: vsphere
                  environments: [development]
                  kubernetesVersions: {default: 1.31.4, allowed: [1.31.4], machineImages: {1.31.4: ubuntu-2204-kube-v1.31.4}}
                  regions: [fra-dc1]
                  instanceTypes: [small-4c-16g]
                  defaultNodePools: [{name: workers, instanceType: small-4c-16g, minSize: 1, maxSize: 2}]
                  variables:
                  - {name: controlPlaneEndpoint, type: string, default: 10.20.0.40}
                  - {name: network, type: string, default: k8s-dev}
                ---
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: half-configured, namespace: data-platform}
                spec: {flavor: vsphere-incomplete, environment: development}
                """, "apply", "-f", "-").succeeded();
        JsonNode status = fleet.awaitCluster("data-platform/half-configured", candidate ->
                candidate.path("phase").asText().equals("Failed"));
        JsonNode rendered = FleetChecks.condition(status, "Rendered");
        assertThat(rendered.path("status").asText()).isEqualTo("False");
        assertThat(rendered.path("reason").asText()).isEqualTo("ProviderSettingMissing");
        assertThat(rendered.path("message").asText()).contains("spec.providerSettings.server");
        assertThat(status.path("phase").asText()).isEqualTo("Failed");
        Path clone = fleet.clone("incomplete");
        assertThat(clone.resolve("management/vsphere/clusters/data-platform/half-configured")).doesNotExist();
        assertThat(kubectl.run("get", "teams").exitCode()).isZero();
    }
}
