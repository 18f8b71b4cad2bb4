package dev.drover.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.kube.Observation;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddonReadinessTest {

    private static JsonNode json(String text) {
        return Json.parseObject(text.replace('\'', '"'));
    }

    private static Observation with(Map<String, JsonNode> helmReleases, Map<String, JsonNode> applications) {
        return new Observation(Optional.empty(), Map.of(), Map.of(), Map.of(), helmReleases, applications, Map.of(), Optional.empty(),
                Map.of(), Optional.empty(), Map.of());
    }

    private static JsonNode release(String addon, String status) {
        return json("{'metadata':{'name':'web-" + addon + "','labels':{'platform.drover.dev/addon':'" + addon + "'}},'status':" + status + "}");
    }

    @Test
    void aHelmReleaseIsReadyWhenItsNewestReleaseIsTheCommittedVersionDeployed() {
        var addons = AddonReadiness.of(new java.util.TreeMap<>(Map.of("cert-manager", "v1.19.1", "karpenter", "1.8.0",
                "external-dns", "1.19.0", "velero", "9.0.0")), with(Map.of(
                "web-cert-manager", release("cert-manager", "{'conditions':[{'type':'Ready','status':'True'}],"
                        + "'history':[{'chartVersion':'v1.19.1','status':'deployed'}]}"),
                "web-karpenter", release("karpenter", "{'conditions':[{'type':'Ready','status':'False','message':'install retries exhausted'}],"
                        + "'history':[{'chartVersion':'1.8.0','status':'failed'}]}"),
                "web-external-dns", release("external-dns", "{'conditions':[{'type':'Ready','status':'Unknown'}],"
                        + "'history':[{'chartVersion':'1.19.0','status':'pending-upgrade'},{'chartVersion':'1.18.0','status':'superseded'}]}")),
                Map.of()));

        assertThat(addons).extracting(AddonReadiness.Addon::name, AddonReadiness.Addon::ready, AddonReadiness.Addon::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cert-manager", true, "HelmRelease web-cert-manager installed v1.19.1"),
                        org.assertj.core.groups.Tuple.tuple("external-dns", false,
                                "HelmRelease web-external-dns installing 1.19.0 (pending-upgrade)"),
                        org.assertj.core.groups.Tuple.tuple("karpenter", false, "HelmRelease web-karpenter failed: install retries exhausted"),
                        org.assertj.core.groups.Tuple.tuple("velero", false,
                                "velero 9.0.0 is not on the management cluster yet (no HelmRelease, Kustomization or Application)"));
    }

    @Test
    void anArgoCdApplicationIsReadyWhenSyncedAtTheVersionAndHealthy() {
        JsonNode synced = json("{'metadata':{'name':'data.lake.addons.cert-manager','labels':{'platform.drover.dev/addon':'cert-manager'}},"
                + "'status':{'sync':{'status':'Synced','revision':'v1.19.1'},'health':{'status':'Healthy'}}}");
        JsonNode degraded = json("{'metadata':{'name':'data.lake.addons.vsphere-csi','labels':{'platform.drover.dev/addon':'vsphere-csi'}},"
                + "'status':{'sync':{'status':'OutOfSync','revision':'v3.4.0'},'health':{'status':'Degraded'},"
                + "'operationState':{'message':'one or more objects failed to apply'}}}");

        var addons = AddonReadiness.of(new java.util.TreeMap<>(Map.of("cert-manager", "v1.19.1", "vsphere-csi", "v3.5.0")),
                with(Map.of(), Map.of("a", synced, "b", degraded)));

        assertThat(addons.get(0).ready()).isTrue();
        assertThat(addons.get(1).message()).isEqualTo("Application data.lake.addons.vsphere-csi OutOfSync and Degraded at v3.4.0 "
                + "(wanted v3.5.0): one or more objects failed to apply");
        assertThat(addons.get(1).installed()).contains("v3.4.0");
    }
}
