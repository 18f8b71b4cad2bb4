package dev.drover.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Condition.ConditionStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.kube.Observation;
import dev.drover.server.store.ObjectKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String COMMITTED = "{'git':{'commit':'" + COMMIT + "'},'conditions':[{'type':'Rendered','status':'True'}]}";

    private static JsonNode json(String text) {
        return Json.parseObject(text.replace('\'', '"'));
    }

    private static CachedObject<ClusterSpec> cluster(String status, boolean deleting) {
        ClusterSpec spec = Json.bind(json("{'flavor':'eks-standard','environment':'development','kubernetesVersion':'1.31.4'}"),
                ClusterSpec.class);
        return new CachedObject<>(new ObjectKey(Kinds.CLUSTER.kind(), "payments", "web"), spec, Map.of(), List.of(), 2, deleting,
                Json.write(json(status)), 10, java.time.Instant.EPOCH);
    }

    private static Condition condition(StatusWriter.Update update, String type) {
        return update.conditions().stream().filter(condition -> condition.type().equals(type)).findFirst().orElseThrow();
    }

    private static JsonNode capiCluster(String status) {
        return json("{'spec':{'controlPlaneEndpoint':{'host':'10.0.0.1','port':6443}},'status':" + status + "}");
    }

    private static final String PROVISIONED = "{'initialization':{'infrastructureProvisioned':true},"
            + "'conditions':[{'type':'ControlPlaneAvailable','status':'True'}],"
            + "'controlPlane':{'desiredReplicas':3,'readyReplicas':3,'availableReplicas':3,'upToDateReplicas':3,"
            + "'versions':[{'version':'v1.31.4','replicas':3}]}}";

    private static Observation observation(JsonNode capi, String workersStatus, String applied) {
        return new Observation(Optional.ofNullable(capi),
                Map.of("web-general", json("{'spec':{'replicas':3},'status':" + workersStatus + "}")), Map.of(),
                applied.isEmpty() ? Map.of() : Map.of("web-workload", json("{'status':{'lastAppliedRevision':'main@sha1:" + applied + "'}}")),
                Map.of(), Map.of(), Map.of(), Optional.empty(), Map.of(), Optional.empty(), Map.of());
    }

    @Test
    void withoutAManagementClusterEveryClusterSaysItIsNotConnected() {
        StatusWriter.Update update = Readiness.decide(cluster(COMMITTED, false), new Readiness.View.NotConnected());

        assertThat(update.fields().get("phase").asText()).isEqualTo("Provisioning");
        assertThat(condition(update, "Ready")).satisfies(ready -> {
            assertThat(ready.status()).isEqualTo(ConditionStatus.UNKNOWN);
            assertThat(ready.reason()).contains("NotConnected");
            assertThat(ready.message().orElseThrow()).contains("set --management-kubeconfig");
        });
        // A new commit changes nothing the observer can say, so it writes nothing again.
        String recommitted = COMMITTED.replace(COMMIT, "fedcba9876543210fedcba9876543210fedcba98");
        assertThat(Readiness.decide(cluster(recommitted, false), new Readiness.View.NotConnected())).isEqualTo(update);
    }

    @Test
    void aClusterNotYetCommittedIsPendingAndOneThatDoesNotRenderFailed() {
        assertThat(Readiness.decide(cluster("{}", false), new Readiness.View.NotConnected()).fields().get("phase").asText())
                .isEqualTo("Pending");
        StatusWriter.Update failed = Readiness.decide(cluster("{'conditions':[{'type':'Rendered','status':'False'}]}", false),
                new Readiness.View.NotConnected());
        assertThat(failed.fields().get("phase").asText()).isEqualTo("Failed");
        assertThat(condition(failed, "Ready").reason()).contains("RenderFailed");
    }

    @Test
    void aProvisionedClusterWithReadyNodesAndItsCommitAppliedIsRunningAndReady() {
        StatusWriter.Update update = Readiness.decide(cluster(COMMITTED, false), new Readiness.View.Observed(
                observation(capiCluster(PROVISIONED), "{'readyReplicas':3,'upToDateReplicas':3}", COMMIT), true));

        assertThat(update.fields().get("phase").asText()).isEqualTo("Running");
        assertThat(update.conditions()).allSatisfy(condition -> assertThat(condition.status()).as(condition.type())
                .isEqualTo(ConditionStatus.TRUE));
        JsonNode observed = update.fields().get("observed");
        assertThat(observed.path("endpoint").asText()).isEqualTo("https://10.0.0.1:6443");
        assertThat(observed.path("versions")).extracting(JsonNode::asText).containsExactly("v1.31.4");
        assertThat(observed.path("nodePools").get(0).path("name").asText()).isEqualTo("general");
        assertThat(observed.path("controlPlane").path("ready").asLong()).isEqualTo(3);
    }

    @Test
    void eachConditionThatWaitsSaysOnWhat() {
        String controlPlaneComing = "{'initialization':{'infrastructureProvisioned':true},'conditions':[{'type':'ControlPlaneAvailable',"
                + "'status':'False','message':'machine web-cp-x7k2 Provisioning'}],'controlPlane':{'desiredReplicas':3,'availableReplicas':2}}";
        StatusWriter.Update update = Readiness.decide(cluster(COMMITTED, false), new Readiness.View.Observed(
                observation(capiCluster(controlPlaneComing), "{'readyReplicas':1}", "fedcba9876543210fedcba9876543210fedcba98"), false));

        assertThat(update.fields().get("phase").asText()).isEqualTo("Provisioning");
        assertThat(condition(update, "Provisioned").message().orElseThrow())
                .isEqualTo("control plane 2/3 not available yet: machine web-cp-x7k2 Provisioning");
        assertThat(condition(update, "NodesReady").message().orElseThrow()).isEqualTo("node pool general 1/3 ready");
        assertThat(condition(update, "Synced").message().orElseThrow())
                .isEqualTo("Flux applied main@sha1:fedcba987654, Drover is at 0123456789ab");
        assertThat(condition(update, "Ready").status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(condition(update, "Ready").message().orElseThrow()).contains("Provisioned: control plane 2/3")
                .contains("NodesReady: node pool general 1/3 ready").contains("Synced: Flux applied");
    }

    @Test
    void aRunningClusterThatLosesNodesIsDegradedAndAnUnreachableManagementClusterKeepsThePhase() {
        StatusWriter.Update degraded = Readiness.decide(cluster(COMMITTED.replace("{'git'", "{'phase':'Running','git'"), false),
                new Readiness.View.Observed(observation(capiCluster(PROVISIONED), "{'readyReplicas':2}", COMMIT), true));
        assertThat(degraded.fields().get("phase").asText()).isEqualTo("Degraded");

        StatusWriter.Update unreachable = Readiness.decide(cluster(COMMITTED.replace("{'git'", "{'phase':'Running','git'"), false),
                new Readiness.View.Unreachable(Instant.parse("2026-12-01T10:00:00Z"), "connect timed out"));
        assertThat(unreachable.fields().get("phase").asText()).isEqualTo("Running");
        assertThat(unreachable.fields()).doesNotContainKey("observed");
        assertThat(condition(unreachable, "Ready").message().orElseThrow())
                .contains("has not answered since 2026-12-01T10:00:00Z (connect timed out)");
    }

    @Test
    void aDeletedClusterIsDeleting() {
        assertThat(Readiness.decide(cluster(COMMITTED, true), new Readiness.View.NotConnected()).fields().get("phase").asText())
                .isEqualTo("Deleting");
    }

    @Test
    void waitingMachinesAnEksControlPlaneAndAFailingGitRepositoryAreNamed() {
        String controlPlaneComing = "{'initialization':{'infrastructureProvisioned':true},'conditions':[{'type':'ControlPlaneAvailable',"
                + "'status':'False'}],'controlPlane':{'desiredReplicas':3,'availableReplicas':2}}";
        JsonNode controlPlaneMachine = json("{'metadata':{'name':'web-cp-x7k2','labels':{'cluster.x-k8s.io/control-plane':''},"
                + "'creationTimestamp':'2026-12-01T10:42:00Z'},'status':{'phase':'Provisioning'}}");
        JsonNode workerMachine = json("{'metadata':{'name':'web-general-abc','labels':{'cluster.x-k8s.io/deployment-name':'web-general'},"
                + "'creationTimestamp':'2026-12-01T10:50:00Z'},'status':{'phase':'Pending'}}");
        JsonNode failingSource = json("{'status':{'conditions':[{'type':'Ready','status':'False','message':'authentication required'}]}}");
        Observation observation = new Observation(Optional.of(capiCluster(controlPlaneComing)),
                Map.of("web-general", json("{'spec':{'replicas':3},'status':{'readyReplicas':2,'replicas':3}}")), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of("web-fleet", failingSource), Optional.empty(),
                Map.of("web-cp-x7k2", controlPlaneMachine, "web-general-abc", workerMachine), Optional.empty(), Map.of());

        StatusWriter.Update update = Readiness.decide(cluster(COMMITTED, false), new Readiness.View.Observed(observation, false));

        assertThat(condition(update, "Provisioned").message().orElseThrow())
                .isEqualTo("control plane 2/3 not available yet; machine web-cp-x7k2 Provisioning since 2026-12-01T10:42:00Z");
        assertThat(condition(update, "NodesReady").message().orElseThrow())
                .isEqualTo("node pool general 2/3 ready; machine web-general-abc Pending since 2026-12-01T10:50:00Z");
        assertThat(condition(update, "Synced").message().orElseThrow())
                .endsWith("; GitRepository payments/web-fleet: authentication required");

        JsonNode updating = json("{'status':{'ready':true,'conditions':[{'type':'EKSControlPlaneReady','status':'True'},"
                + "{'type':'EKSControlPlaneUpdating','status':'True'}],'oidcProvider':{'arn':"
                + "'arn:aws:iam::333333333333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF'}}}");
        Observation eks = new Observation(Optional.of(capiCluster(PROVISIONED)),
                Map.of("web-general", json("{'spec':{'replicas':3},'status':{'readyReplicas':3,'replicas':3}}")), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), Optional.of(updating), Map.of(), Optional.empty(), Map.of());
        StatusWriter.Update upgrading = Readiness.decide(cluster(COMMITTED, false), new Readiness.View.Observed(eks, true));
        assertThat(upgrading.fields().get("phase").asText()).as("EKS says ready while it updates").isEqualTo("Upgrading");
        assertThat(upgrading.fields().get("observed").path("oidcProvider").asText()).as("for the add-ons' IAM roles")
                .endsWith(":oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF");
        JsonNode notReady = json("{'status':{'ready':true,'conditions':[{'type':'EKSControlPlaneReady','status':'False',"
                + "'message':'cluster is being created'}]}}");
        Observation creating = new Observation(Optional.of(capiCluster(PROVISIONED)), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), Optional.of(notReady), Map.of(), Optional.empty(), Map.of());
        assertThat(condition(Readiness.decide(cluster(COMMITTED, false), new Readiness.View.Observed(creating, true)), "Provisioned")
                .message().orElseThrow()).isEqualTo("the EKS control plane is not ready: cluster is being created");
    }
}
