package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives a running Drover with the real kubectl binary, as a platform admin. */
class KubectlIT {

    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void startDrover() {
        Kubectl.requireInstalled();
        drover = TestDrover.sharedWithExamples();
        kubectl = new Kubectl(drover.kubeconfig());
    }

    static String team(String name) {
        return """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Team
                metadata:
                  name: %s
                spec:
                  costCenter: cc-9000
                  quotas: {clusters: 10, nodes: 100}
                  environments: [{name: development}, {name: production}]
                """.formatted(name);
    }

    static String cluster(String team, String name, int maxSize) {
        return """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: checkout}
                spec:
                  flavor: eks-standard
                  environment: development
                  nodePools:
                  - {name: general, instanceType: m6i.large, minSize: 1, maxSize: %d}
                """.formatted(name, team, maxSize);
    }

    @Test
    void listsTheExampleClustersWithTheirColumns() {
        String table = kubectl.run("get", "clusters", "-A").succeeded().out();
        assertThat(table.lines().findFirst().orElseThrow())
                .containsSubsequence("NAMESPACE", "NAME", "FLAVOR", "ENVIRONMENT", "VERSION", "PHASE", "SUPPORT", "EXPIRES", "AGE");
        assertThat(table).containsPattern("payments\\s+payments-prod\\s+eks-standard\\s+production\\s+1\\.35\\.0\\s+(Pending|Provisioning)")
                .contains("lakehouse-prod", "search-dev", "notebooks-dev");
        assertThat(kubectl.run("get", "clusters", "-A", "-o", "wide").succeeded().out().lines().findFirst().orElseThrow())
                .containsSubsequence("PROVIDER", "REGION", "POOLS");
        assertThat(kubectl.run("get", "teams").succeeded().out()).containsSubsequence("COST CENTER", "payments", "cc-4100");
        assertThat(kubectl.run("get", "flavors").succeeded().out()).containsPattern("vsphere-onprem\\s+vsphere");
    }

    @Test
    void appliesAManifestAndReadsItBackAsYamlAndJson() {
        kubectl.runWithInput(team("kt-apply"), "apply", "-f", "-").succeeded();
        assertThat(kubectl.runWithInput(cluster("kt-apply", "web", 3), "apply", "-f", "-").succeeded().out())
                .contains("cluster.platform.drover.dev/web created");
        assertThat(kubectl.runWithInput(cluster("kt-apply", "web", 3), "apply", "-f", "-").succeeded().out())
                .contains("unchanged");
        assertThat(kubectl.runWithInput(cluster("kt-apply", "web", 5), "apply", "-f", "-").succeeded().out())
                .contains("configured");

        String yaml = kubectl.run("get", "cluster", "web", "-n", "kt-apply", "-o", "yaml").succeeded().out();
        assertThat(yaml).contains("kubernetesVersion: 1.35.0", "region: eu-central-1", "generation: 2",
                "platform.drover.dev/team: kt-apply", "maxSize: 5", "vpcCidr: 10.0.0.0/16");
        var json = Json.parseObject(kubectl.run("get", "cluster", "web", "-n", "kt-apply", "-o", "json").succeeded().out());
        assertThat(json.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(json.path("metadata").path("labels").path("platform.drover.dev/provider").asText()).isEqualTo("aws-eks");
        assertThat(json.path("spec").path("variables").path("logRetentionDays").asInt()).isEqualTo(14);
    }

    @Test
    void watchesChanges() throws Exception {
        kubectl.runWithInput(team("kt-watch"), "apply", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("kt-watch", "zero", 2), "apply", "-f", "-").succeeded();
        try (Kubectl.Running watch = kubectl.start("get", "clusters", "-n", "kt-watch", "-w", "-o", "name",
                "--request-timeout=60s")) {
            watch.awaitOutput("cluster.platform.drover.dev/zero", Duration.ofSeconds(30));
            kubectl.runWithInput(cluster("kt-watch", "first", 2), "apply", "-f", "-").succeeded();
            kubectl.runWithInput(cluster("kt-watch", "second", 2), "apply", "-f", "-").succeeded();
            kubectl.run("delete", "cluster", "first", "-n", "kt-watch").succeeded();
            watch.awaitOutput("cluster.platform.drover.dev/second", Duration.ofSeconds(30));
            // The fleet reconciler's status writes are MODIFIED events too, so names may repeat between these.
            List<String> expected = List.of("cluster.platform.drover.dev/zero", "cluster.platform.drover.dev/first",
                    "cluster.platform.drover.dev/second", "cluster.platform.drover.dev/first");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!isSubsequence(expected, watch.output().lines().toList()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(watch.output().lines()).containsSubsequence(expected)
                    .containsOnly("cluster.platform.drover.dev/zero", "cluster.platform.drover.dev/first",
                            "cluster.platform.drover.dev/second");
        }
    }

    private static boolean isSubsequence(List<String> wanted, List<String> lines) {
        int next = 0;
        for (String line : lines) {
            if (next < wanted.size() && line.equals(wanted.get(next))) {
                next++;
            }
        }
        return next == wanted.size();
    }

    @Test
    void selectsByLabelsAndFields() {
        String production = kubectl.run("get", "clusters", "-A", "-o", "name", "-l",
                "platform.drover.dev/environment in (production),tier").succeeded().out();
        assertThat(production.lines()).containsExactlyInAnyOrder("cluster.platform.drover.dev/lakehouse-prod",
                "cluster.platform.drover.dev/payments-prod", "cluster.platform.drover.dev/search-prod");
        String notEks = kubectl.run("get", "clusters", "-n", "payments", "-o", "name", "-l",
                "platform.drover.dev/provider!=aws-eks").succeeded().out();
        assertThat(notEks).isEmpty();
        assertThat(kubectl.run("get", "clusters", "-A", "-o", "name", "--field-selector", "metadata.name=search-dev")
                .succeeded().out().strip()).isEqualTo("cluster.platform.drover.dev/search-dev");
    }

    @Test
    void listsInChunksWithoutLosingOrRepeatingAnObject() {
        kubectl.runWithInput(team("kt-chunks"), "apply", "-f", "-").succeeded();
        List<String> names = new ArrayList<>();
        for (int index = 1; index <= 7; index++) {
            names.add("cluster.platform.drover.dev/chunk-" + index);
            kubectl.runWithInput(cluster("kt-chunks", "chunk-" + index, 2), "create", "-f", "-").succeeded();
        }
        JsonNode firstPage = Json.parseObject(kubectl.run("get", "--raw",
                "/apis/platform.drover.dev/v1alpha1/namespaces/kt-chunks/clusters?limit=3").succeeded().out());
        assertThat(firstPage.path("items")).hasSize(3);
        assertThat(firstPage.path("metadata").path("continue").asText()).isNotEmpty();

        assertThat(kubectl.run("get", "clusters", "-n", "kt-chunks", "--chunk-size=3", "-o", "name").succeeded().out().lines())
                .containsExactlyElementsOf(names);
    }

    @Test
    void patchesWithMergeAndJsonPatches() {
        kubectl.runWithInput(team("kt-patch"), "apply", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("kt-patch", "api", 2), "create", "-f", "-").succeeded();
        kubectl.run("patch", "cluster", "api", "-n", "kt-patch", "--type", "merge",
                "-p", "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}},\"spec\":{\"variables\":{\"logRetentionDays\":30}}}")
                .succeeded();
        kubectl.run("patch", "cluster", "api", "-n", "kt-patch", "--type", "json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":4}]").succeeded();
        var json = Json.parseObject(kubectl.run("get", "cluster", "api", "-n", "kt-patch", "-o", "json").succeeded().out());
        assertThat(json.path("metadata").path("labels").path("tier").asText()).isEqualTo("gold");
        assertThat(json.path("spec").path("variables").path("logRetentionDays").asInt()).isEqualTo(30);
        assertThat(json.path("spec").path("nodePools").get(0).path("maxSize").asInt()).isEqualTo(4);
        assertThat(json.path("metadata").path("generation").asInt()).isEqualTo(3);

        Kubectl.Result refused = kubectl.run("patch", "cluster", "api", "-n", "kt-patch", "--type", "merge",
                "-p", "{\"spec\":{\"kubernetesVersion\":\"1.20.0\"}}");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("is invalid", "spec.kubernetesVersion", "allowed: 1.33.5, 1.34.2, 1.35.0");
    }

    @Test
    void deleteWaitsForFinalizers() {
        kubectl.runWithInput(team("kt-finalize"), "apply", "-f", "-").succeeded();
        String withFinalizer = cluster("kt-finalize", "held", 2).replace("  labels: {app: checkout}",
                "  finalizers: [platform.drover.dev/git]");
        kubectl.runWithInput(withFinalizer, "create", "-f", "-").succeeded();
        kubectl.run("delete", "cluster", "held", "-n", "kt-finalize", "--wait=false").succeeded();
        assertThat(kubectl.run("get", "cluster", "held", "-n", "kt-finalize", "-o",
                "jsonpath={.metadata.deletionTimestamp}").succeeded().out()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        Kubectl.Result specChange = kubectl.run("patch", "cluster", "held", "-n", "kt-finalize", "--type", "merge",
                "-p", "{\"spec\":{\"nodePools\":[{\"name\":\"general\",\"instanceType\":\"m6i.large\",\"minSize\":1,\"maxSize\":3}]}}");
        assertThat(specChange.err()).contains("being deleted");
        kubectl.run("patch", "cluster", "held", "-n", "kt-finalize", "--type", "json",
                "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").succeeded();
        Kubectl.Result gone = kubectl.run("get", "cluster", "held", "-n", "kt-finalize");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("NotFound", "clusters.platform.drover.dev \"held\" not found");
    }

    @Test
    void explainDocumentsTheFields() {
        String nodePools = kubectl.run("explain", "cluster.spec.nodePools").succeeded().out();
        assertThat(nodePools).contains("KIND:       Cluster", "FIELD: nodePools <[]Object>", "maxSize\t<integer> -required-",
                "enum: onDemand, spot", "Most nodes the pool scales up to");
        assertThat(kubectl.run("explain", "clusterflavor.spec.variables").succeeded().out())
                .contains("environmentDefaults", "Defaults per environment");
    }

    @Test
    void aStaleUpdateGetsAConflict() {
        kubectl.runWithInput(team("kt-stale"), "apply", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("kt-stale", "old", 2), "create", "-f", "-").succeeded();
        String stale = kubectl.run("get", "cluster", "old", "-n", "kt-stale", "-o", "yaml").succeeded().out();
        kubectl.run("label", "cluster", "old", "-n", "kt-stale", "touched=yes").succeeded();
        Kubectl.Result replaced = kubectl.runWithInput(stale, "replace", "-f", "-");
        assertThat(replaced.exitCode()).isNotZero();
        assertThat(replaced.err()).contains("Conflict", "the object has been modified");
    }

    @Test
    void badInputGetsAClearError() {
        kubectl.runWithInput(team("kt-errors"), "apply", "-f", "-").succeeded();
        Kubectl.Result unknownField = kubectl.runWithInput(cluster("kt-errors", "typo", 2)
                .replace("  environment: development", "  environment: development\n  flavour: eks"), "create", "-f", "-");
        assertThat(unknownField.err()).contains("BadRequest", "strict decoding error: unknown field \"spec.flavour\"");

        Kubectl.Result invalid = kubectl.runWithInput(cluster("kt-errors", "bad", 2)
                .replace("m6i.large", "m5.24xlarge").replace("minSize: 1", "minSize: 9"), "create", "-f", "-");
        assertThat(invalid.err()).contains("The Cluster \"bad\" is invalid",
                "spec.nodePools[0].instanceType: Invalid value: \"m5.24xlarge\"", "allowed: m5.large",
                "spec.nodePools[0].minSize: Invalid value: 9: must be less than or equal to maxSize (2)");

        Kubectl.Result badName = kubectl.runWithInput(cluster("kt-errors", "Not_DNS", 2), "create", "-f", "-");
        assertThat(badName.err()).contains("metadata.name: Invalid value: \"Not_DNS\"", "RFC 1123");

        Kubectl.Result noTeam = kubectl.runWithInput(cluster("no-such-team", "orphan", 2), "create", "-f", "-");
        assertThat(noTeam.err()).contains("NotFound", "there is no Team \"no-such-team\"");

        Kubectl.Result teamInUse = kubectl.run("delete", "team", "payments");
        // Its applications first, which have to go before the clusters they run in.
        assertThat(teamInUse.err()).contains("Conflict", "the team still owns 2 applications (checkout, ledger-worker)",
                "kubectl delete applications --all -n payments");
    }

    @Test
    void aClusterOverTheTeamsQuotaIsRefusedWithUsageAndLimit() {
        kubectl.runWithInput(team("kt-quota").replace("quotas: {clusters: 10, nodes: 100}", "quotas: {clusters: 1, nodes: 5}"),
                "apply", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("kt-quota", "first", 4), "create", "-f", "-").succeeded();
        Kubectl.Result second = kubectl.runWithInput(cluster("kt-quota", "second", 1), "create", "-f", "-");
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.err()).contains("Forbidden", "exceeded quota of team \"kt-quota\"", "used 1, limited 1");
        Kubectl.Result resize = kubectl.run("patch", "cluster", "first", "-n", "kt-quota", "--type", "json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/nodePools/0/maxSize\",\"value\":6}]");
        assertThat(resize.err()).contains("requested 6 nodes", "limited 5 (spec.quotas.nodes)");
    }

    @Test
    void serverDryRunChecksButStoresNothing() {
        kubectl.runWithInput(team("kt-dry"), "apply", "-f", "-").succeeded();
        assertThat(kubectl.runWithInput(cluster("kt-dry", "maybe", 2), "apply", "--dry-run=server", "-f", "-")
                .succeeded().out()).contains("created (server dry run)");
        assertThat(kubectl.run("get", "clusters", "-n", "kt-dry", "-o", "name").succeeded().out()).isEmpty();
        assertThat(kubectl.runWithInput(cluster("kt-dry", "maybe", 2).replace("1.31", "1.31")
                .replace("environment: development", "environment: staging"), "apply", "--dry-run=server", "-f", "-").err())
                .contains("team \"kt-dry\" has no such environment");
    }

    @Test
    void everyKindRoundTripsThroughGetAndReplace() throws Exception {
        for (String[] object : new String[][] {{"team", "payments", ""}, {"clusterflavor", "eks-standard", ""},
                {"cluster", "payments-dev", "payments"}, {"addonprofile", "observability", ""}, {"pricebook", "standard", ""}}) {
            String[] scope = object[2].isEmpty() ? new String[0] : new String[] {"-n", object[2]};
            Kubectl.Result replaced = null;
            // A controller may write the status between get and replace; the replace then meets a newer version.
            for (int attempt = 0; attempt < 5 && (replaced == null || replaced.err().contains("Conflict")); attempt++) {
                String yaml = kubectl.run(concat(new String[] {"get", object[0], object[1], "-o", "yaml"}, scope)).succeeded().out();
                replaced = kubectl.runWithInput(yaml, concat(new String[] {"replace", "-f", "-"}, scope));
            }
            assertThat(replaced.exitCode()).as(object[0] + " " + object[1] + ": " + replaced.err()).isZero();
        }
    }

    @Test
    void aClusterReplacedWithoutTheFleetFinalizerGetsItBack() throws Exception {
        kubectl.runWithInput(team("kt-finalizer"), "apply", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("kt-finalizer", "held", 2), "create", "-f", "-").succeeded();
        kubectl.run("patch", "cluster", "held", "-n", "kt-finalizer", "--type", "json",
                "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").succeeded();

        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        String finalizers = "";
        while (!finalizers.contains("platform.drover.dev/fleet-repository") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            finalizers = kubectl.run("get", "cluster", "held", "-n", "kt-finalizer", "-o", "jsonpath={.metadata.finalizers}")
                    .succeeded().out();
        }
        assertThat(finalizers).contains("platform.drover.dev/fleet-repository");
    }

    @Test
    void namespacesAreTheTeamsWithAStatusReadOnlyAndWatchable() throws Exception {
        assertThat(kubectl.run("get", "namespaces").succeeded().out()).containsPattern("NAME\\s+STATUS\\s+AGE")
                .containsPattern("payments\\s+Active\\s+\\S+");
        Kubectl.Result created = kubectl.run("create", "namespace", "kt-not-a-team");
        assertThat(created.exitCode()).isNotZero();
        assertThat(created.err()).contains("MethodNotAllowed", "read-only views of Drover's Teams");
        try (Kubectl.Running watch = kubectl.start("get", "namespaces", "-w", "--request-timeout=60s")) {
            watch.awaitOutput("payments", Duration.ofSeconds(30));
            kubectl.runWithInput(team("kt-ns-watch"), "apply", "-f", "-").succeeded();
            watch.awaitOutput("kt-ns-watch", Duration.ofSeconds(30));
        }
        assertThat(kubectl.run("get", "namespace", "search", "-o", "yaml").succeeded().out()).contains("phase: Active");
        assertThat(kubectl.run("explain", "namespace").succeeded().out()).contains("read-only view of a Drover Team");
    }

    @Test
    void everyKindPrintsInEveryOutputFormKubectlOffers() {
        for (String[] object : new String[][] {{"teams", "payments", ""}, {"clusterflavors", "eks-standard", ""},
                {"clusters", "payments-dev", "payments"}, {"addonprofiles", "baseline", ""}, {"pricebooks", "standard", ""}}) {
            String[] scope = object[2].isEmpty() ? new String[0] : new String[] {"-n", object[2]};
            String name = object[1];
            String table = kubectl.run(concat(new String[] {"get", object[0]}, scope)).succeeded().out();
            assertThat(table.lines().findFirst().orElse("")).as(object[0]).startsWith("NAME");
            assertThat(table).contains(name);
            assertThat(kubectl.run(concat(new String[] {"get", object[0], "-o", "wide"}, scope)).succeeded().out().lines().findFirst()
                    .orElse("").split("\\s{2,}").length).as(object[0] + " -o wide adds columns")
                    .isGreaterThan(table.lines().findFirst().orElse("").split("\\s{2,}").length);
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o", "json"}, scope)).succeeded().out())
                    .contains("\"name\": \"" + name + "\"");
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o", "yaml"}, scope)).succeeded().out())
                    .contains("  name: " + name);
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o", "name"}, scope)).succeeded().out().strip())
                    .endsWith("/" + name);
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o", "jsonpath={.metadata.name}"}, scope))
                    .succeeded().out()).isEqualTo(name);
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o",
                    "custom-columns=THE-NAME:.metadata.name,GENERATION:.metadata.generation"}, scope)).succeeded().out())
                    .containsPattern("THE-NAME\\s+GENERATION").containsPattern(name + "\\s+\\d+");
            assertThat(kubectl.run(concat(new String[] {"get", object[0], name, "-o", "go-template={{.kind}}"}, scope))
                    .succeeded().out()).isNotBlank();
            assertThat(kubectl.run(concat(new String[] {"describe", object[0], name}, scope)).succeeded().out())
                    .contains("Name:", name);
        }
    }

    @Test
    void aManifestOfAKindDroverDoesNotServeGetsKubectlsOwnAnswer() {
        Kubectl.Result typo = kubectl.runWithInput("apiVersion: platform.drover.dev/v1alpah1\nkind: Cluster\n"
                + "metadata: {name: typo, namespace: payments}\nspec: {}\n", "apply", "-f", "-");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.err()).contains("no matches for kind \"Cluster\" in version \"platform.drover.dev/v1alpah1\"")
                .doesNotContain("openapi");
        assertThat(kubectl.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: payments}\n",
                "apply", "-f", "-").err()).contains("no matches for kind \"ConfigMap\"");
        assertThat(kubectl.run("explain", "cluster.spec.nodePools", "--output=plaintext-openapiv2").succeeded().out())
                .contains("RESOURCE: nodePools", "capacityType");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
