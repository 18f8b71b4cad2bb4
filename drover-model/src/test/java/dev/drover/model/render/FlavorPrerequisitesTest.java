package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterFlavorStatus.Prerequisite;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each example flavor's status names what its provider needs beyond the rendered files, as docs/providers.md does. */
class FlavorPrerequisitesTest {

    private static Map<String, String> of(String flavor) {
        List<Prerequisite> needs = FlavorPrerequisites.of(ExampleFleet.snapshot().flavors().get(flavor), ExampleFleet.SETTINGS);
        return needs.stream().collect(Collectors.toMap(Prerequisite::name, Prerequisite::description));
    }

    @Test
    void eksNeedsTheMachinePoolGateTheAccountRolesAReachableEndpointAndTheAddonRoles() {
        Map<String, String> needs = of("eks-standard");
        assertThat(needs.get("capa")).contains("EXP_MACHINE_POOL=true");
        assertThat(needs.get("aws-iam")).contains("clusterawsadm bootstrap iam", "cloudAccount.roleArn");
        assertThat(needs.get("api-endpoint")).contains("203.0.113.0/24,198.51.100.16/28");
        assertThat(needs.get("addon-iam-roles")).contains("status.oidcProvider");
        assertThat(needs.get("fleet-entry")).contains("management/teams", "management/aws");
        assertThat(needs).containsKey("flux");
    }

    @Test
    void vsphereNeedsTheIpPoolTheTemplatesArgoCdAndItsBootstrapSecrets() {
        Map<String, String> needs = of("vsphere-onprem");
        assertThat(needs.get("ipam")).contains("GlobalInClusterIPPool fra-dc1-nodes");
        assertThat(needs.get("vm-templates")).contains("ubuntu-2204-kube-v1.31.4");
        assertThat(needs.get("argocd")).contains("namespace argocd");
        assertThat(needs.get("secret/vsphere-config-secret")).contains("vmware-system-csi/vsphere-config-secret");
        assertThat(needs.get("fleet-entry")).contains("management/vsphere");
    }

    @Test
    void dockerNeedsCapdBesideTheDockerSocket() {
        assertThat(of("docker-local").get("capd")).contains("docker.sock");
        assertThat(of("aws-kubeadm").get("machine-images")).contains("999999999999", "1.31.4");
    }
}
