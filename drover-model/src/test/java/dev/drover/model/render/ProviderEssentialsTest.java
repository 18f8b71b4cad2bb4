package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each provider's upstream templates hold that a working cluster needs, as a table of facts with their source,
 * checked against the rendered example clusters: schema-valid output could drop any of them and still validate.
 */
class ProviderEssentialsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> FILES = FleetRenderer.render(ExampleFleet.snapshot()).files();

    /** One fact: where upstream says so, which example cluster shows it, and how to see it in the rendered files. */
    private record Essential(String fact, String source, String directory, Predicate<List<JsonNode>> holds) {
        @Override
        public String toString() {
            return fact;
        }
    }

    private static final String CAPA_TEMPLATE = "cluster-api-provider-aws templates/cluster-template.yaml";
    private static final String CAPA_EKS_TEMPLATE = "cluster-api-provider-aws templates/cluster-template-eks-managedmachinepool.yaml";
    private static final String CAPV_TEMPLATE = "cluster-api-provider-vsphere templates/cluster-template.yaml";
    private static final String AWS = "management/aws/clusters/search/search-prod";
    private static final String AWS_ADDONS = "clusters/search/search-prod/addons";
    private static final String EKS = "management/aws/clusters/payments/payments-prod";
    private static final String VSPHERE = "management/vsphere/clusters/data-platform/lakehouse-prod";
    private static final String VSPHERE_ADDONS = "clusters/data-platform/lakehouse-prod/addons";
    private static final String DOCKER_ADDONS = "clusters/search/kind-sandbox/addons";

    static Stream<Essential> essentials() {
        return Stream.of(
                new Essential("self-managed AWS: kubelets of the control plane run with cloud-provider external", CAPA_TEMPLATE, AWS,
                        objects -> kind(objects, "KubeadmControlPlane").allMatch(plane ->
                                hasArgument(plane.at("/spec/kubeadmConfigSpec/initConfiguration/nodeRegistration/kubeletExtraArgs"), "cloud-provider", "external")
                                && hasArgument(plane.at("/spec/kubeadmConfigSpec/joinConfiguration/nodeRegistration/kubeletExtraArgs"), "cloud-provider", "external"))),
                new Essential("self-managed AWS: the controller manager leaves cloud controllers to the CCM (cloud-provider external)", CAPA_TEMPLATE, AWS,
                        objects -> kind(objects, "KubeadmControlPlane").allMatch(plane -> hasArgument(
                                plane.at("/spec/kubeadmConfigSpec/clusterConfiguration/controllerManager/extraArgs"), "cloud-provider", "external"))),
                new Essential("self-managed AWS: worker kubelets run with cloud-provider external", CAPA_TEMPLATE, AWS,
                        objects -> nonEmpty(kind(objects, "KubeadmConfigTemplate")).allMatch(template -> hasArgument(
                                template.at("/spec/template/spec/joinConfiguration/nodeRegistration/kubeletExtraArgs"), "cloud-provider", "external"))),
                new Essential("self-managed AWS: machines use the instance profiles clusterawsadm creates", CAPA_TEMPLATE, AWS,
                        objects -> kind(objects, "AWSMachineTemplate").map(template -> template.at("/spec/template/spec/iamInstanceProfile").asText())
                                .allMatch(profile -> profile.equals("control-plane.cluster-api-provider-aws.sigs.k8s.io")
                                        || profile.equals("nodes.cluster-api-provider-aws.sigs.k8s.io"))),
                new Essential("self-managed AWS: the AWS cloud controller manager runs first, with --cloud-provider=aws",
                        CAPA_TEMPLATE + " (the ClusterResourceSet crs-ccm)", AWS_ADDONS,
                        objects -> kind(objects, "HelmRelease").anyMatch(release -> release.at("/spec/chart/spec/chart").asText()
                                .equals("aws-cloud-controller-manager") && release.at("/spec/values/args").toString().contains("--cloud-provider=aws"))
                                && dependsOnFoundation(objects, "aws-cloud-controller-manager")),
                new Essential("self-managed clusters: a CNI before anything else (nodes stay NotReady without one)",
                        "Cluster API quick start, \"Deploy a CNI solution\"", DOCKER_ADDONS,
                        objects -> dependsOnFoundation(objects, "cilium")),
                new Essential("EKS: node groups are MachinePools with an empty bootstrap secret and an AWSManagedMachinePool",
                        CAPA_EKS_TEMPLATE, EKS, objects -> nonEmpty(kind(objects, "MachinePool")).allMatch(pool ->
                                pool.at("/spec/template/spec/bootstrap/dataSecretName").isTextual()
                                && pool.at("/spec/template/spec/bootstrap/dataSecretName").asText().isEmpty()
                                && pool.at("/spec/template/spec/infrastructureRef/kind").asText().equals("AWSManagedMachinePool"))),
                new Essential("EKS: the Cluster's control plane is an AWSManagedControlPlane, its infrastructure an AWSManagedCluster",
                        CAPA_EKS_TEMPLATE, EKS, objects -> kind(objects, "Cluster").allMatch(cluster ->
                                cluster.at("/spec/controlPlaneRef/kind").asText().equals("AWSManagedControlPlane")
                                && cluster.at("/spec/infrastructureRef/kind").asText().equals("AWSManagedCluster"))),
                new Essential("EKS: an OIDC provider for the add-ons' IAM roles for service accounts",
                        "cluster-api-provider-aws docs/book/src/topics/eks/pod-networking.md and the AWSManagedControlPlane API (associateOIDCProvider)",
                        EKS, objects -> kind(objects, "AWSManagedControlPlane").allMatch(plane -> plane.at("/spec/associateOIDCProvider").asBoolean())),
                new Essential("vSphere: kube-vip holds the endpoint as a static pod on the control plane", CAPV_TEMPLATE, VSPHERE,
                        objects -> kind(objects, "KubeadmControlPlane").allMatch(plane -> plane.at("/spec/kubeadmConfigSpec/files").toString()
                                .contains("/etc/kubernetes/manifests/kube-vip.yaml"))),
                new Essential("vSphere: kube-vip uses super-admin.conf while kubeadm init runs (Kubernetes 1.29 and later)",
                        CAPV_TEMPLATE + ", kube-vip issue 684", VSPHERE, objects -> kind(objects, "KubeadmControlPlane").allMatch(plane ->
                                plane.at("/spec/kubeadmConfigSpec/preKubeadmCommands").toString().contains("super-admin"))),
                new Essential("vSphere: kubelets run with cloud-provider external", CAPV_TEMPLATE, VSPHERE,
                        objects -> kind(objects, "KubeadmControlPlane").allMatch(plane -> hasArgument(
                                plane.at("/spec/kubeadmConfigSpec/initConfiguration/nodeRegistration/kubeletExtraArgs"), "cloud-provider", "external"))),
                new Essential("vSphere: static addresses come with DNS servers", CAPV_TEMPLATE + " (VSphereMachineTemplate network devices)",
                        VSPHERE, objects -> nonEmpty(kind(objects, "VSphereMachineTemplate")).allMatch(template ->
                                template.at("/spec/template/spec/network/devices/0/nameservers").size() > 0)),
                new Essential("vSphere: the vSphere CPI runs in the first sync wave", CAPV_TEMPLATE + " (the CPI it installs)", VSPHERE_ADDONS,
                        objects -> kind(objects, "Application").anyMatch(application -> application.at("/spec/source/chart").asText()
                                .equals("vsphere-cpi") && application.at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asText().equals("0"))),
                new Essential("vcluster: the VCluster is both the control plane and the infrastructure of the Cluster",
                        "cluster-api-provider-vcluster README (the generated Cluster)", "management/vcluster/clusters/data-platform/notebooks-dev",
                        objects -> kind(objects, "Cluster").allMatch(cluster -> cluster.at("/spec/controlPlaneRef/kind").asText().equals("VCluster")
                                && cluster.at("/spec/infrastructureRef/kind").asText().equals("VCluster"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("essentials")
    void theRenderedExampleHoldsWhatUpstreamNeeds(Essential essential) {
        List<JsonNode> objects = objectsIn(essential.directory());
        assertThat(objects).as("files in " + essential.directory()).isNotEmpty();
        assertThat(essential.holds().test(objects)).as(essential.fact() + " (" + essential.source() + ") in " + essential.directory())
                .isTrue();
    }

    private static Stream<JsonNode> kind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind));
    }

    /** The stream, failing the fact when it is empty: allMatch on nothing would hold vacuously. */
    private static Stream<JsonNode> nonEmpty(Stream<JsonNode> objects) {
        List<JsonNode> list = objects.toList();
        return list.isEmpty() ? Stream.of(com.fasterxml.jackson.databind.node.MissingNode.getInstance()) : list.stream();
    }

    /** kubeadm v1beta2 arguments: a list of name/value pairs. */
    private static boolean hasArgument(JsonNode arguments, String name, String value) {
        for (JsonNode argument : arguments) {
            if (argument.path("name").asText().equals(name) && argument.path("value").asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Every other HelmRelease of the cluster waits for the named foundation add-on. */
    private static boolean dependsOnFoundation(List<JsonNode> objects, String foundation) {
        List<JsonNode> others = kind(objects, "HelmRelease").filter(release -> !release.at("/spec/releaseName").asText().equals(foundation)
                && !release.path("metadata").path("labels").path("platform.drover.dev/addon").asText().equals(foundation)).toList();
        String cluster = objects.getFirst().path("metadata").path("labels").path("platform.drover.dev/cluster").asText();
        return !others.isEmpty() && others.stream().filter(release -> !isFoundation(objects, release))
                .allMatch(release -> release.at("/spec/dependsOn").toString().contains("\"" + cluster + "-" + foundation + "\""));
    }

    private static boolean isFoundation(List<JsonNode> objects, JsonNode release) {
        String name = release.path("metadata").path("labels").path("platform.drover.dev/addon").asText();
        return List.of("cilium", "aws-cloud-controller-manager", "vsphere-cpi").contains(name);
    }

    private static List<JsonNode> objectsIn(String directory) {
        List<JsonNode> objects = new ArrayList<>();
        FILES.forEach((path, content) -> {
            if (path.startsWith(directory + "/") && !path.endsWith("/" + FleetPaths.KUSTOMIZATION)
                    && path.substring(directory.length() + 1).indexOf('/') < 0) {
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(content)) {
                    documents.forEachRemaining(objects::add);
                } catch (IOException unreadable) {
                    throw new IllegalStateException(path, unreadable);
                }
            }
        });
        return objects;
    }
}
