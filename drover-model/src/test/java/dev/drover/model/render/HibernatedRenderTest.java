package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.drover.model.api.ClusterId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hibernated cluster differs from the awake one in exactly its pools' sizes: per provider the replica count, the
 * autoscaler annotations, an EKS node group's minimum, a virtual cluster's control plane; no other file or field.
 */
class HibernatedRenderTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String AUTOSCALER_MIN = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    private static final String AUTOSCALER_MAX = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";
    private static final String MANAGED_BY = "cluster.x-k8s.io/replicas-managed-by";
    private static final List<ClusterId> ONE_PER_PROVIDER = List.of(new ClusterId("payments", "payments-dev"),
            new ClusterId("data-platform", "shared-dev-host"), new ClusterId("data-platform", "notebooks-dev"),
            new ClusterId("search", "kind-sandbox"), new ClusterId("search", "search-prod"));

    @Test
    void hibernationChangesOnlyThePoolSizes() throws IOException {
        FleetSnapshot awake = ExampleFleet.snapshot();
        var clusters = new TreeMap<>(awake.clusters());
        ONE_PER_PROVIDER.forEach(id -> clusters.compute(id, (ignored, request) ->
                new ClusterRequest(id, request.spec(), request.labels(), true, java.util.Optional.empty(),
                java.util.Optional.empty())));
        FleetSnapshot hibernated = new FleetSnapshot(awake.teams(), awake.flavors(), awake.profiles(), clusters, awake.settings(), awake.pools(), awake.applications());
        SortedMap<String, String> before = FleetRenderer.render(awake).files();
        SortedMap<String, String> after = FleetRenderer.render(hibernated).files();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        Set<String> changed = new TreeSet<>();
        Set<String> kindsChanged = new TreeSet<>();
        for (String path : before.keySet()) {
            if (before.get(path).equals(after.get(path))) {
                continue;
            }
            changed.add(path);
            List<JsonNode> awakeDocuments = documents(before.get(path));
            List<JsonNode> hibernatedDocuments = documents(after.get(path));
            assertThat(hibernatedDocuments).hasSameSizeAs(awakeDocuments);
            for (int index = 0; index < awakeDocuments.size(); index++) {
                JsonNode was = awakeDocuments.get(index);
                ObjectNode now = (ObjectNode) hibernatedDocuments.get(index);
                if (!was.equals(now)) {
                    kindsChanged.add(was.path("kind").asText());
                    assertThat(undoHibernation(now, was)).as(path + " " + was.path("kind") + " apart from its size").isEqualTo(was);
                }
            }
        }
        assertThat(changed).as("only the hibernated clusters' Cluster API files").allSatisfy(path ->
                assertThat(ONE_PER_PROVIDER.stream().anyMatch(id -> path.contains("/" + id.team() + "/" + id.name() + "/"))).isTrue());
        assertThat(kindsChanged).containsExactlyInAnyOrder("MachineDeployment", "MachinePool", "AWSManagedMachinePool", "VCluster");
    }

    /** The virtual cluster's chart, given the hibernated values, runs no control plane pod. */
    @Test
    void theVirtualClustersChartScalesItsControlPlaneToZero(@TempDir Path work) throws IOException {
        Path charts = ExampleChartsTest.chartsOrSkip();
        FleetSnapshot awake = ExampleFleet.snapshot();
        ClusterId id = new ClusterId("data-platform", "notebooks-dev");
        var clusters = new TreeMap<>(awake.clusters());
        clusters.compute(id, (ignored, request) -> new ClusterRequest(id, request.spec(), request.labels(), true, java.util.Optional.empty(),
                java.util.Optional.empty()));
        var hibernated = new FleetSnapshot(awake.teams(), awake.flavors(), awake.profiles(), clusters, awake.settings(), awake.pools(), awake.applications());
        JsonNode vcluster = FleetRenderer.render(hibernated).files().entrySet().stream()
                .filter(file -> file.getKey().contains("/data-platform/notebooks-dev/"))
                .flatMap(file -> documents(file.getValue()).stream())
                .filter(document -> document.path("kind").asText().equals("VCluster")).findFirst().orElseThrow();
        JsonNode chart = vcluster.path("spec").path("helmRelease").path("chart");
        Path values = Files.writeString(work.resolve("values.yaml"), vcluster.path("spec").path("helmRelease").path("values").asText());
        String manifest = new Helm(charts.resolve("vcluster-" + chart.path("version").asText())).template().withName(id.name())
                .withNamespace(id.team()).withKubeVersion("v1.31.4").withValuesFile(values).call();
        JsonNode statefulSet = documents(manifest).stream().filter(document -> document.path("kind").asText().equals("StatefulSet")
                && document.path("metadata").path("name").asText().equals(id.name())).findFirst().orElseThrow();
        assertThat(statefulSet.path("spec").path("replicas").asInt(-1)).isZero();
    }

    /** The hibernated document with the awake sizes put back, after checking it holds exactly the hibernated ones. */
    private static JsonNode undoHibernation(ObjectNode hibernated, JsonNode awake) throws IOException {
        ObjectNode undone = hibernated.deepCopy();
        switch (awake.path("kind").asText()) {
            case "MachineDeployment", "MachinePool" -> {
                assertThat(hibernated.path("metadata").path("annotations").properties()).hasSize(1);
                assertThat(hibernated.path("metadata").path("annotations").path(ClusterApi.HIBERNATED).asText()).isEqualTo("true");
                assertThat(hibernated.path("spec").path("replicas").asInt(-1)).isZero();
                assertThat(awake.path("metadata").path("annotations").has(AUTOSCALER_MIN)).isTrue();
                assertThat(awake.path("metadata").path("annotations").has(AUTOSCALER_MAX)).isTrue();
                assertThat(awake.path("metadata").path("annotations").has(MANAGED_BY))
                        .isEqualTo(awake.path("kind").asText().equals("MachinePool"));
                assertThat(awake.path("spec").has("replicas")).as("awake, the autoscaler owns the count").isFalse();
                undone.withObjectProperty("metadata").set("annotations", awake.path("metadata").path("annotations"));
                ((ObjectNode) undone.path("spec")).remove("replicas");
            }
            case "AWSManagedMachinePool" -> {
                assertThat(hibernated.path("spec").path("scaling").path("minSize").asInt(-1)).isZero();
                assertThat(hibernated.path("spec").path("scaling").path("maxSize").asInt())
                        .as("EKS keeps a maximum of one or more").isEqualTo(awake.path("spec").path("scaling").path("maxSize").asInt());
                ((ObjectNode) undone.path("spec").path("scaling")).set("minSize", awake.path("spec").path("scaling").path("minSize"));
            }
            case "VCluster" -> {
                JsonNode values = YAML.readTree(hibernated.path("spec").path("helmRelease").path("values").asText());
                assertThat(values.path("controlPlane").path("statefulSet").path("highAvailability").path("replicas").asInt(-1)).isZero();
                ((ObjectNode) undone.path("spec").path("helmRelease")).set("values",
                        awake.path("spec").path("helmRelease").path("values"));
            }
            default -> throw new AssertionError("hibernation changed a " + awake.path("kind").asText());
        }
        return undone;
    }

    private static List<JsonNode> documents(String content) {
        return ExampleChartsTest.documents(content);
    }
}
