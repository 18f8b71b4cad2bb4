package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.NodePool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object Drover renders is valid for the tools that apply it: each custom resource against its upstream
 * CRD schema (needs shared/crds beside the repository), and every directory with {@code kubectl kustomize}.
 * Rendered from the example organisation plus a copy of every example cluster with spot, labelled pools.
 */
class RenderedManifestsTest {

    /**
     * Kubernetes' own kinds, which have no CRD; kustomize and the API server check them (the Applications' objects in
     * ApplicationManifestsIT, by a server-side dry run against a real kube-apiserver).
     */
    private static final Set<String> BUILT_IN = Set.of("v1/Namespace", "v1/ResourceQuota", "v1/LimitRange",
            "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
            "kustomize.config.k8s.io/v1beta1/Kustomization", "v1/ServiceAccount", "v1/Service", "apps/v1/Deployment",
            "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/NetworkPolicy",
            "networking.k8s.io/v1/Ingress", "scheduling.k8s.io/v1/PriorityClass");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyCustomResourceValidatesAgainstItsUpstreamSchema() throws IOException {
        UpstreamSchemas schemas = UpstreamSchemas.locateOrSkip();
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (var file : files().entrySet()) {
            for (JsonNode object : documents(file.getValue())) {
                String apiVersion = object.path("apiVersion").asText();
                String kind = object.path("kind").asText();
                String where = file.getKey() + " " + kind + " " + object.path("metadata").path("name").asText();
                if (BUILT_IN.contains(apiVersion + "/" + kind)) {
                    continue;
                }
                Optional<JsonNode> schema = schemas.schema(apiVersion, kind);
                if (schema.isEmpty()) {
                    problems.add(where + ": no upstream CRD defines " + apiVersion + " " + kind);
                    continue;
                }
                StructuralSchemaCheck.errors(object, schema.get()).forEach(error -> problems.add(where + ": " + error));
                validated++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(validated).as("custom resources validated").isGreaterThan(100);
    }

    @Test
    void schemaCheckFindsWhatTheServerWouldRefuse() throws IOException {
        UpstreamSchemas schemas = UpstreamSchemas.locateOrSkip();
        JsonNode wrong = YAML.readTree("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: MachineDeployment
                metadata: {name: Bad_Name, namespace: team}
                spec:
                  clusterName: c
                  replicas: "3"
                  selector: {}
                  colour: blue
                  template: {spec: {clusterName: c, bootstrap: {}}}
                """);
        assertThat(StructuralSchemaCheck.errors(wrong, schemas.schema("cluster.x-k8s.io/v1beta2", "MachineDeployment").orElseThrow()))
                .containsExactlyInAnyOrder(".spec.replicas: must be a integer, is \"3\"", ".spec.colour: unknown field",
                        ".spec.template.spec.infrastructureRef: required", ".metadata.name: \"Bad_Name\" is not a DNS subdomain");
    }

    @Test
    void everyDirectoryBuildsWithKubectlKustomize(@TempDir Path repository) throws Exception {
        List<Path> directories = new ArrayList<>();
        for (var file : files().entrySet()) {
            Path target = repository.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            if (target.getFileName().toString().equals(FleetPaths.KUSTOMIZATION)) {
                directories.add(target.getParent());
            }
        }
        assertThat(directories).hasSizeGreaterThan(50);
        for (Path directory : directories) {
            String output = kustomize(directory);
            if (directory.endsWith("management")) {
                long clusters = documents(output).stream()
                        .filter(object -> object.path("kind").asText().equals("Cluster")).count();
                assertThat(clusters).as("Cluster API Clusters in the management build").isEqualTo(
                        ExampleFleet.snapshot().clusters().size() * 2L);
            }
        }
    }

    /**
     * The examples, and each example cluster again with every pool spot and labelled, built to a copy of its flavor
     * that uses the other GitOps engine (Flux for Argo CD and the other way round).
     */
    private static SortedMap<String, String> files() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var clusters = new TreeMap<>(examples.clusters());
        var flavors = new TreeMap<>(examples.flavors());
        examples.flavors().forEach((name, flavor) -> flavors.put(name + "-other-gitops", otherGitops(flavor)));
        examples.clusters().forEach((id, request) -> {
            ClusterSpec spec = request.spec();
            List<NodePool> pools = spec.nodePools().stream().map(pool -> new NodePool(pool.name(), pool.instanceType(),
                    pool.minSize(), pool.maxSize(), Optional.of(NodePool.CapacityType.SPOT), Map.of("workload", "batch"))).toList();
            var variant = new ClusterId(id.team(), id.name() + "-v");
            clusters.put(variant, new ClusterRequest(variant, new ClusterSpec(spec.flavor() + "-other-gitops", spec.environment(),
                    spec.region(), spec.kubernetesVersion(), pools, spec.variables(), spec.hibernation(), spec.ttl(),
                    spec.addons()), request.labels()));
        });
        RenderedFleet fleet = FleetRenderer.render(new FleetSnapshot(examples.teams(), flavors, examples.profiles(), clusters,
                examples.settings(), examples.pools(), examples.applications()));
        assertThat(fleet.failures()).isEmpty();
        return fleet.files();
    }

    private static ClusterFlavorSpec otherGitops(ClusterFlavorSpec flavor) {
        var other = flavor.effectiveGitops() == ClusterFlavorSpec.GitOpsEngine.FLUX
                ? ClusterFlavorSpec.GitOpsEngine.ARGOCD : ClusterFlavorSpec.GitOpsEngine.FLUX;
        return new ClusterFlavorSpec(flavor.provider(), flavor.description(), flavor.environments(), flavor.kubernetesVersions(),
                flavor.regions(), flavor.defaultRegion(), flavor.instanceTypes(), flavor.defaultNodePools(), flavor.variables(),
                flavor.providerSettings(), flavor.tenancy(), Optional.of(other), flavor.cost(), flavor.bootstrapSecrets(),
                flavor.lifetime(), flavor.maintenance());
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            iterator.forEachRemaining(document -> {
                if (!document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            });
        }
        return documents;
    }

    private static String kustomize(Path directory) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError("kubectl is needed to build the rendered kustomizations; install kubectl "
                    + "(https://kubernetes.io/docs/tasks/tools/) and put it on the PATH", missing);
        }
        String output;
        try (InputStream stream = process.getInputStream()) {
            output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize " + directory + ":\n" + output).isZero();
        return output;
    }
}
