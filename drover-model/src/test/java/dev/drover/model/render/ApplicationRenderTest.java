package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ClusterId;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Day 2 of the example Applications, rendered: an image update touches the image lines only, a template change
 * re-renders with the advanced settings kept, the canary's weights follow its step, and an Application that cannot be
 * rendered keeps its committed files without holding up its cluster.
 */
class ApplicationRenderTest {

    private static final ClusterId STAGING = new ClusterId("payments", "payments-staging");
    private static final ClusterId DEV = new ClusterId("payments", "payments-dev");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void anImageUpdateChangesTheImageLineOfEachTargetClusterAndNothingElse() {
        FleetSnapshot before = ExampleFleet.snapshot();
        String image = "registry.example.com/payments/checkout:1.9.1@sha256:" + "2".repeat(64);
        FleetSnapshot after = withApplication(before, "payments/checkout", spec -> new ApplicationSpec(spec.template(), image,
                spec.port(), spec.size(), spec.environments(), spec.advanced(), spec.delivery()), 2);
        List<String> changed = changedLines(FleetRenderer.render(before).files(), FleetRenderer.render(after).files());
        // checkout runs in payments-dev (development) and payments-staging: one line each, the Deployment's image.
        assertThat(changed).containsExactlyInAnyOrder(
                "clusters/payments/payments-dev/apps/checkout/deployment.yaml: image: " + image,
                "clusters/payments/payments-staging/apps/checkout/deployment.yaml: image: " + image);
    }

    @Test
    void anEnvironmentsOwnImageChangesOnlyThatEnvironmentsClusters() {
        FleetSnapshot before = ExampleFleet.snapshot();
        String image = "registry.example.com/payments/checkout:2.0.0-rc1";
        FleetSnapshot after = withApplication(before, "payments/checkout", spec -> new ApplicationSpec(spec.template(),
                spec.image(), spec.port(), spec.size(), spec.environments().stream().map(environment ->
                environment.name().equals("staging") ? new ApplicationSpec.Environment(environment.name(), environment.clusters(),
                        environment.clusterSelector(), Optional.of(image)) : environment).toList(), spec.advanced(),
                spec.delivery()), 2);
        assertThat(changedLines(FleetRenderer.render(before).files(), FleetRenderer.render(after).files()))
                .containsExactly("clusters/payments/payments-staging/apps/checkout/deployment.yaml: image: " + image);
    }

    @Test
    void aTemplateChangeReRendersItsApplicationsWithTheirAdvancedSettingsKept() {
        FleetSnapshot before = ExampleFleet.snapshot();
        AppTemplateSpec java = before.applications().templates().get("java-service").spec();
        var probes = new AppTemplateSpec.Probes(Optional.of("/ready"), Optional.of("/alive"), Optional.of(120));
        AppTemplateSpec changed = new AppTemplateSpec(java.runtime(), java.description(), java.sizes(), Optional.of(probes),
                java.security(), java.maxUnavailable(), Optional.of(60), java.spreadOverZones(), java.network(), java.ingress(),
                java.allowedAdvanced(), java.allowedPatchPaths(), java.scanGates(), java.scaffold());
        var templates = new TreeMap<>(before.applications().templates());
        templates.put("java-service", new AppTemplateRevision(2, changed));
        FleetSnapshot after = new FleetSnapshot(before.teams(), before.flavors(), before.profiles(), before.clusters(),
                before.settings(), before.pools(), new FleetApplications(templates, before.applications().applications()));
        SortedMap<String, String> files = FleetRenderer.render(after).files();
        String deployment = files.get("clusters/payments/payments-staging/apps/checkout/deployment.yaml");
        assertThat(deployment).contains("path: /ready", "path: /alive", "platform.drover.dev/template-revision: \"2\"",
                // The advanced settings, as the team gave them.
                "SPRING_PROFILES_ACTIVE", "value: -XX:MaxRAMPercentage=75", "name: management", "containerPort: 9090");
        assertThat(files.get("clusters/payments/payments-staging/apps/checkout/hpa.yaml")).contains("averageUtilization: 60");
        assertThat(files.get("clusters/payments/payments-staging/apps/checkout/kustomization.yaml"))
                .contains("prometheus.io/scrape");
        // Only the template's Applications moved: the Python worker and the search team's are as they were.
        List<String> changedFiles = changedLines(FleetRenderer.render(before).files(), files).stream()
                .map(line -> line.substring(0, line.indexOf(':'))).distinct().toList();
        assertThat(changedFiles).allMatch(path -> path.contains("/apps/checkout/"))
                .contains("clusters/payments/payments-dev/apps/checkout/deployment.yaml",
                        "clusters/payments/payments-staging/apps/checkout/hpa.yaml");
        ClusterOutcome.Rendered staging = (ClusterOutcome.Rendered) FleetRenderer.renderCluster(after, STAGING);
        assertThat(staging.applications()).filteredOn(app -> app.name().equals("checkout")).singleElement()
                .extracting(ClusterStatus.CommittedApplication::templateRevision).isEqualTo(2L);
    }

    @Test
    void theCanaryIngressMixesTheServiceAndTheLegacyTargetGroupWithTheStepsWeights() throws Exception {
        FleetSnapshot examples = ExampleFleet.snapshot();
        for (int weight : List.of(10, 50, 100)) {
            FleetSnapshot atStep = withApplication(examples, "payments/checkout", UnaryOperator.identity(), 1, Optional.of(weight));
            JsonNode action = canaryAction(FleetRenderer.render(atStep).files());
            assertThat(action.path("type").asText()).isEqualTo("forward");
            JsonNode groups = action.path("forwardConfig").path("targetGroups");
            assertThat(groups.get(0).path("serviceName").asText()).isEqualTo("checkout");
            assertThat(groups.get(0).path("servicePort").asText()).isEqualTo("8080");
            assertThat(groups.get(0).path("weight").asInt()).isEqualTo(weight);
            assertThat(groups.get(1).path("targetGroupARN").asText()).endsWith(":targetgroup/checkout-ec2/0123456789abcdef");
            assertThat(groups.get(1).path("weight").asInt()).isEqualTo(100 - weight);
        }
        // Before the controller decided a step, step 0's weight; aborted, everything to the legacy target group.
        assertThat(canaryAction(FleetRenderer.render(examples).files()).at("/forwardConfig/targetGroups/0/weight").asInt())
                .isEqualTo(10);
        FleetSnapshot aborted = withApplication(examples, "payments/checkout", spec -> {
            ApplicationSpec.Canary canary = spec.delivery().orElseThrow().canary().orElseThrow();
            var abortedCanary = new ApplicationSpec.Canary(canary.environment(), canary.legacyTargetGroupArn(), canary.host(),
                    canary.steps(), Optional.of(ApplicationSpec.CanaryState.ABORTED));
            return new ApplicationSpec(spec.template(), spec.image(), spec.port(), spec.size(), spec.environments(),
                    spec.advanced(), Optional.of(new ApplicationSpec.Delivery(Optional.of(abortedCanary),
                    spec.delivery().orElseThrow().overprovisioning())));
        }, 2, Optional.of(50));
        assertThat(canaryAction(FleetRenderer.render(aborted).files()).at("/forwardConfig/targetGroups/1/weight").asInt())
                .isEqualTo(100);
        // Only the canary's environment gets the weighted Ingress.
        assertThat(FleetRenderer.render(examples).files()).doesNotContainKey("clusters/payments/payments-dev/apps/checkout/ingress.yaml");
    }

    @Test
    void placeholdersYieldToEveryPodAndStillMakeTheAutoscalerAddNodes() throws Exception {
        SortedMap<String, String> files = FleetRenderer.render(ExampleFleet.snapshot()).files();
        JsonNode priorityClass = YAML.readTree(files.get("clusters/payments/payments-staging/tenancy/priority-classes.yaml"));
        // Below the default priority 0, at or above cluster-autoscaler's default expendable cutoff of -10.
        assertThat(priorityClass.path("value").asInt()).isNegative().isGreaterThanOrEqualTo(-10);
        assertThat(priorityClass.path("preemptionPolicy").asText()).isEqualTo("Never");
        JsonNode placeholder = YAML.readTree(files.get("clusters/payments/payments-staging/apps/checkout/placeholder.yaml"));
        assertThat(placeholder.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(placeholder.at("/spec/template/spec/priorityClassName").asText()).isEqualTo("drover-overprovisioning");
        assertThat(placeholder.at("/spec/template/spec/containers/0/resources/requests/memory").asText()).isEqualTo("1Gi");
        // Development has no placeholders: neither the pods nor the class.
        assertThat(files).doesNotContainKeys("clusters/payments/payments-dev/apps/checkout/placeholder.yaml",
                "clusters/payments/payments-dev/tenancy/priority-classes.yaml");
    }

    @Test
    void anApplicationThatCannotBeRenderedKeepsItsFilesAndItsClusterStillRenders() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        var templates = new TreeMap<>(examples.applications().templates());
        templates.remove("python-worker");
        FleetSnapshot broken = new FleetSnapshot(examples.teams(), examples.flavors(), examples.profiles(), examples.clusters(),
                examples.settings(), examples.pools(), new FleetApplications(templates, examples.applications().applications()));
        ClusterOutcome outcome = FleetRenderer.renderCluster(broken, DEV);
        assertThat(outcome).isInstanceOfSatisfying(ClusterOutcome.Rendered.class, rendered -> {
            assertThat(rendered.kept()).containsExactly("clusters/payments/payments-dev/apps/ledger-worker");
            assertThat(rendered.keeps("clusters/payments/payments-dev/apps/ledger-worker/deployment.yaml")).isTrue();
            assertThat(rendered.files()).containsKey("clusters/payments/payments-dev/apps/checkout/deployment.yaml")
                    .doesNotContainKey("clusters/payments/payments-dev/apps/ledger-worker/deployment.yaml");
            // Still applied: the GitOps object stays, so the committed files are not pruned.
            assertThat(rendered.files().get("management/aws/clusters/payments/payments-dev/gitops.yaml"))
                    .contains("name: payments-dev-app-ledger-worker");
            assertThat(rendered.applications()).filteredOn(app -> app.name().equals("ledger-worker")).singleElement()
                    .satisfies(app -> assertThat(app.renderFailure()).hasValueSatisfying(why ->
                            assertThat(why).contains("AppTemplate \"python-worker\" does not exist")));
        });
    }

    /** The lines that differ between two renders, as {@code path: line} of the new render. */
    static List<String> changedLines(SortedMap<String, String> before, SortedMap<String, String> after) {
        assertThat(after.keySet()).as("the same files").isEqualTo(before.keySet());
        List<String> changed = new ArrayList<>();
        after.forEach((path, content) -> {
            String[] old = before.get(path).split("\n", -1);
            String[] now = content.split("\n", -1);
            assertThat(now.length).as(path + " line count").isEqualTo(old.length);
            for (int line = 0; line < now.length; line++) {
                if (!now[line].equals(old[line])) {
                    changed.add(path + ": " + now[line].trim());
                }
            }
        });
        return changed;
    }

    private static JsonNode canaryAction(SortedMap<String, String> files) throws Exception {
        JsonNode ingress = YAML.readTree(files.get("clusters/payments/payments-staging/apps/checkout/ingress.yaml"));
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText()).isEqualTo("use-annotation");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("checkout-canary");
        return Json.MAPPER.readTree(ingress.path("metadata").path("annotations")
                .path("alb.ingress.kubernetes.io/actions.checkout-canary").asText());
    }

    private static FleetSnapshot withApplication(FleetSnapshot snapshot, String key, UnaryOperator<ApplicationSpec> change,
                                                 long generation) {
        return withApplication(snapshot, key, change, generation, Optional.empty());
    }

    private static FleetSnapshot withApplication(FleetSnapshot snapshot, String key, UnaryOperator<ApplicationSpec> change,
                                                 long generation, Optional<Integer> canaryWeight) {
        var applications = new TreeMap<>(snapshot.applications().applications());
        ApplicationRequest request = applications.get(key);
        applications.put(key, new ApplicationRequest(request.team(), request.name(), generation, change.apply(request.spec()),
                canaryWeight));
        return new FleetSnapshot(snapshot.teams(), snapshot.flavors(), snapshot.profiles(), snapshot.clusters(),
                snapshot.settings(), snapshot.pools(), new FleetApplications(snapshot.applications().templates(), applications));
    }
}
