package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply --server-side} against Drover as against kube-apiserver: every kind, field ownership per
 * manager in metadata.managedFields, conflicts and --force-conflicts, fields a manager stops applying, list items
 * owned by different managers.
 */
class ServerSideApplyIT {

    private static TestDrover drover;
    private static Kubectl kubectl;

    @BeforeAll
    static void startDrover() {
        Kubectl.requireInstalled();
        drover = TestDrover.sharedWithExamples();
        kubectl = new Kubectl(drover.kubeconfig());
        kubectl.runWithInput(KubectlIT.team("ssa"), "apply", "--server-side", "-f", "-").succeeded();
    }

    private static String cluster(String name, String labels, String pools) {
        return """
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: %s, namespace: ssa, labels: {%s}}
                spec:
                  flavor: eks-standard
                  environment: development
                  nodePools: [%s]
                """.formatted(name, labels, pools);
    }

    private static String pool(String name, int maxSize) {
        return "{name: " + name + ", instanceType: m6i.large, minSize: 1, maxSize: " + maxSize + "}";
    }

    private static ObjectNode get(String name) {
        return Json.parseObject(kubectl.run("get", "cluster", name, "-n", "ssa", "-o", "json", "--show-managed-fields")
                .succeeded().out());
    }

    private static List<String> managers(ObjectNode object) {
        List<String> managers = new ArrayList<>();
        object.path("metadata").path("managedFields").forEach(entry ->
                managers.add(entry.path("manager").asText() + "/" + entry.path("operation").asText()));
        return managers;
    }

    @Test
    void everyKindRoundTripsThroughServerSideApply() {
        for (Kind kind : Kinds.ALL) {
            JsonNode listed = Json.parseObject(kubectl.run("get", kind.plural(), "-A", "-o", "json").succeeded().out());
            assertThat(listed.path("items")).as(kind.kind() + " examples").isNotEmpty();
            ObjectNode object = (ObjectNode) listed.path("items").get(0);
            ObjectNode metadata = object.withObjectProperty("metadata");
            metadata.retain("name", "namespace", "labels", "annotations");
            object.remove("status");
            String name = metadata.path("name").asText();
            List<String> scope = kind.namespaced() ? List.of("-n", metadata.path("namespace").asText()) : List.of();

            List<String> apply = new ArrayList<>(List.of("apply", "--server-side", "--field-manager=platform-repo", "-f", "-"));
            assertThat(kubectl.runWithInput(Json.write(object), apply.toArray(String[]::new)).succeeded().out())
                    .contains(kind.singular() + "." + kind.group() + "/" + name + " serverside-applied");

            List<String> read = new ArrayList<>(List.of("get", kind.plural(), name, "-o", "json", "--show-managed-fields"));
            read.addAll(scope);
            ObjectNode applied = Json.parseObject(kubectl.run(read.toArray(String[]::new)).succeeded().out());
            assertThat(managers(applied)).as(kind.kind()).contains("platform-repo/Apply");
            assertThat(applied.path("spec")).as(kind.kind() + ": applying what is there changes nothing").isEqualTo(object.path("spec"));

            List<String> dryRun = new ArrayList<>(apply);
            dryRun.add("--dry-run=server");
            assertThat(kubectl.runWithInput(Json.write(object), dryRun.toArray(String[]::new)).succeeded().out())
                    .contains("serverside-applied (server dry run)");
        }
    }

    @Test
    void createsUpdatesAndRemovesWhatTheManagerNoLongerApplies() {
        assertThat(kubectl.runWithInput(cluster("web", "app: web, tier: gold", pool("general", 3)),
                "apply", "--server-side", "-f", "-").succeeded().out()).contains("cluster.platform.drover.dev/web serverside-applied");
        ObjectNode created = get("web");
        assertThat(managers(created)).containsExactly("kubectl/Apply");
        assertThat(created.path("spec").path("kubernetesVersion").asText()).as("defaulted by the flavor").isEqualTo("1.35.0");
        JsonNode entries = created.path("metadata").path("managedFields");

        kubectl.runWithInput(cluster("web", "app: web, tier: gold", pool("general", 3)), "apply", "--server-side", "-f", "-")
                .succeeded();
        ObjectNode again = get("web");
        assertThat(again.path("metadata").path("managedFields")).as("an unchanged apply keeps the entries' times").isEqualTo(entries);
        assertThat(again.path("metadata").path("generation").asInt()).isEqualTo(1);

        kubectl.runWithInput(cluster("web", "app: web", pool("general", 3) + ", " + pool("batch", 6)),
                "apply", "--server-side", "-f", "-").succeeded();
        ObjectNode updated = get("web");
        assertThat(updated.path("metadata").path("labels").has("tier")).as("a label no longer applied is removed").isFalse();
        assertThat(updated.path("metadata").path("labels").path("platform.drover.dev/team").asText()).isEqualTo("ssa");
        assertThat(updated.path("spec").path("nodePools")).extracting(item -> item.path("name").asText())
                .containsExactly("general", "batch");
        assertThat(updated.path("metadata").path("finalizers").toString()).as("Drover's finalizer stays")
                .contains("platform.drover.dev/fleet-repository");
    }

    @Test
    void changingAFieldAnotherManagerSetConflictsUntilForced() {
        kubectl.runWithInput(cluster("contested", "app: web", pool("general", 3)), "apply", "--server-side", "-f", "-")
                .succeeded();
        kubectl.run("patch", "cluster", "contested", "-n", "ssa", "--type", "merge",
                "-p", "{\"spec\":{\"nodePools\":[{\"name\":\"general\",\"instanceType\":\"m6i.large\",\"minSize\":1,\"maxSize\":5}]}}")
                .succeeded();
        assertThat(managers(get("contested"))).contains("kubectl/Apply", "kubectl-patch/Update");

        Kubectl.Result refused = kubectl.runWithInput(cluster("contested", "app: web", pool("general", 4)),
                "apply", "--server-side", "-f", "-");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using "
                        + "platform.drover.dev/v1alpha1")
                .contains(".spec.nodePools[name=\"general\"].maxSize").contains("--force-conflicts");
        assertThat(get("contested").path("spec").path("nodePools").get(0).path("maxSize").asInt()).isEqualTo(5);

        kubectl.runWithInput(cluster("contested", "app: web", pool("general", 4)),
                "apply", "--server-side", "--force-conflicts", "-f", "-").succeeded();
        ObjectNode forced = get("contested");
        assertThat(forced.path("spec").path("nodePools").get(0).path("maxSize").asInt()).isEqualTo(4);
        JsonNode patchEntry = null;
        for (JsonNode entry : forced.path("metadata").path("managedFields")) {
            if (entry.path("manager").asText().equals("kubectl-patch")) {
                patchEntry = entry;
            }
        }
        assertThat(patchEntry == null ? "" : patchEntry.toString()).as("the patch no longer owns maxSize").doesNotContain("f:maxSize");
    }

    @Test
    void twoManagersOwnTheirOwnNodePools() {
        kubectl.runWithInput(cluster("shared", "app: web", pool("general", 3)), "apply", "--server-side", "-f", "-").succeeded();
        kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: shared, namespace: ssa}
                spec:
                  nodePools: [%s]
                """.formatted(pool("gpu", 2)), "apply", "--server-side", "--field-manager=capacity-bot", "-f", "-").succeeded();
        kubectl.runWithInput(cluster("shared", "app: web", pool("general", 3)), "apply", "--server-side", "-f", "-").succeeded();

        ObjectNode object = get("shared");
        assertThat(object.path("spec").path("nodePools")).extracting(item -> item.path("name").asText())
                .containsExactly("general", "gpu");
        assertThat(managers(object)).containsExactlyInAnyOrder("capacity-bot/Apply", "kubectl/Apply");
    }

    @Test
    void badConfigurationsAreRefusedWithTheReason() {
        Kubectl.Result duplicate = kubectl.runWithInput(cluster("twice", "app: web", pool("general", 3) + ", " + pool("general", 4)),
                "apply", "--server-side", "-f", "-");
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.err()).contains("spec.nodePools[1]: Duplicate value: {\"name\":\"general\"}");

        Kubectl.Result incomplete = kubectl.runWithInput("""
                apiVersion: platform.drover.dev/v1alpha1
                kind: Cluster
                metadata: {name: incomplete, namespace: ssa}
                spec: {environment: development}
                """, "apply", "--server-side", "-f", "-");
        assertThat(incomplete.exitCode()).isNotZero();
        assertThat(incomplete.err()).contains("spec.flavor: Required value");
        assertThat(kubectl.run("get", "cluster", "incomplete", "-n", "ssa").exitCode()).as("nothing was created").isNotZero();
    }

    @Test
    void theOpenApiSaysHowListsMerge() {
        JsonNode openApi = Json.parseObject(kubectl.run("get", "--raw", "/openapi/v3/apis/platform.drover.dev/v1alpha1")
                .succeeded().out());
        JsonNode cluster = openApi.path("components").path("schemas").path("dev.drover.platform.v1alpha1.Cluster");
        JsonNode pools = cluster.path("properties").path("spec").path("properties").path("nodePools");
        assertThat(pools.path("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(pools.path("x-kubernetes-list-map-keys")).extracting(JsonNode::asText).containsExactly("name");
        JsonNode conditions = cluster.path("properties").path("status").path("properties").path("conditions");
        assertThat(conditions.path("x-kubernetes-list-map-keys")).extracting(JsonNode::asText).containsExactly("type");
    }
}
