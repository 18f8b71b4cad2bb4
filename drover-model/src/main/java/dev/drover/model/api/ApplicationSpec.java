package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("A team's application, built to an AppTemplate: rendered into the fleet repository directory of each target cluster "
        + "(Deployment, Service, ServiceAccount, autoscaler, disruption budget, network policy, ingress), kept up to date "
        + "when the template changes, with advanced settings kept verbatim.")
public record ApplicationSpec(
        @Required @Doc("The AppTemplate.") String template,
        @Required @Pattern(value = IMAGE, meaning = "an image reference such as registry.example.com/team/app:1.4.2 or "
                + "…@sha256:<64 hex>") @Doc("The container image, in every environment that names none of its own.") String image,
        @Required @Minimum(1) @Doc("The port the container listens on (HTTP).") Integer port,
        @Required @Doc("One of the template's sizes.") String size,
        @Required @ListMap("name") @Doc("Where the application runs: per environment of the team, its clusters.")
        List<Environment> environments,
        @Doc("Settings beyond the template's, each allowed by the template's allowedAdvanced; kept as given across every "
                + "update.") Optional<Advanced> advanced,
        @Doc("Canary from a legacy deployment, and capacity kept ready ahead of the autoscaler.") Optional<Delivery> delivery) {

    /** A registry path with an optional tag and an optional digest. */
    public static final String IMAGE = "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*"
            + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    public ApplicationSpec {
        environments = Values.list(environments);
        advanced = Values.option(advanced);
        delivery = Values.option(delivery);
    }

    /** The image of an environment: its own, else the application's. */
    public String imageFor(String environment) {
        return environments.stream().filter(entry -> entry.name().equals(environment)).findFirst()
                .flatMap(Environment::image).orElse(image);
    }

    /** Whether one of the environments takes the team's cluster with these name, environment and labels. */
    public boolean targets(String cluster, String clusterEnvironment, Map<String, String> labels) {
        return environment(clusterEnvironment).map(entry -> entry.targets(cluster, clusterEnvironment, labels)).orElse(false);
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    @Doc("One environment of the application.")
    public record Environment(
            @Required @Doc("An environment of the team.") String name,
            @Doc("The team's clusters of this environment by name; with neither clusters nor clusterSelector, every cluster "
                    + "of the team in the environment.") List<String> clusters,
            @Doc("The team's clusters of this environment by label.") Optional<ClusterSelector> clusterSelector,
            @Pattern(value = IMAGE, meaning = "an image reference") @Doc("The image in this environment, when it differs from "
                    + "spec.image (a promotion sets it).") Optional<String> image) {

        public Environment {
            clusters = Values.list(clusters);
            clusterSelector = Values.option(clusterSelector);
            image = Values.option(image);
        }

        /** Whether the environment takes a cluster of the team with these name, environment and labels. */
        public boolean targets(String cluster, String clusterEnvironment, Map<String, String> labels) {
            if (!name.equals(clusterEnvironment)) {
                return false;
            }
            if (clusters.isEmpty() && clusterSelector.isEmpty()) {
                return true;
            }
            return clusters.contains(cluster)
                    || clusterSelector.map(selector -> selector.toLabelSelector().matches(labels)).orElse(false);
        }
    }

    @Doc("Advanced settings.")
    public record Advanced(
            @Doc("Environment variables of the container.") Map<String, String> variables,
            @Doc("Requests and limits replacing the size's.") Optional<Resources> resources,
            @ListMap("name") @Doc("More ports of the container and the Service.") List<Port> extraPorts,
            @Pattern(value = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,63}$", meaning = "a DNS name such as "
                    + "checkout.example.com") @Doc("The host an Ingress routes to the application.") Optional<String> ingressHost,
            @Doc("Node labels the pods must run on.") Map<String, String> nodeSelector,
            @Doc("Taints the pods tolerate.") List<Toleration> tolerations,
            @Doc("The escape hatch: JSON patch operations on the Deployment, each under a path the template allows "
                    + "(allowedPatchPaths).") List<Patch> patches) {

        public Advanced {
            variables = Values.map(variables);
            resources = Values.option(resources);
            extraPorts = Values.list(extraPorts);
            ingressHost = Values.option(ingressHost);
            nodeSelector = Values.map(nodeSelector);
            tolerations = Values.list(tolerations);
            patches = Values.list(patches);
        }
    }

    @Doc("Container resources.")
    public record Resources(
            @Doc("CPU request.") Optional<String> cpu,
            @Doc("Memory request and limit.") Optional<String> memory,
            @Doc("CPU limit.") Optional<String> cpuLimit) {

        public Resources {
            cpu = Values.option(cpu);
            memory = Values.option(memory);
            cpuLimit = Values.option(cpuLimit);
        }
    }

    @Doc("A named port.")
    public record Port(
            @Required @Pattern(value = "^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$", meaning = "an IANA service name of at most 15 "
                    + "characters, such as metrics") @Doc("Port name.") String name,
            @Required @Minimum(1) @Doc("Port number.") Integer port) {
    }

    @Doc("A toleration.")
    public record Toleration(
            @Required @Doc("Taint key.") String key,
            @Doc("Equal (with value) or Exists.") Optional<String> operator,
            @Doc("Taint value.") Optional<String> value,
            @Doc("NoSchedule, PreferNoSchedule or NoExecute; any effect unless set.") Optional<String> effect) {

        public Toleration {
            operator = Values.option(operator);
            value = Values.option(value);
            effect = Values.option(effect);
        }
    }

    @Doc("One JSON patch operation on the Deployment.")
    public record Patch(
            @Required @Doc("add, replace or remove.") PatchOperation op,
            @Required @Doc("JSON pointer into the Deployment, such as /spec/template/spec/containers/0/args.") String path,
            @Doc("The value for add and replace.") Optional<JsonNode> value) {

        public Patch {
            value = Values.option(value);
        }
    }

    public enum PatchOperation {
        @JsonProperty("add") ADD,
        @JsonProperty("replace") REPLACE,
        @JsonProperty("remove") REMOVE
    }

    @Doc("How the application is delivered.")
    public record Delivery(
            @Doc("Traffic moved step by step from a legacy deployment's ALB target group to the Service.")
            Optional<Canary> canary,
            @Doc("Placeholder pods that keep capacity ready: they yield to every real pod, and the node autoscaler "
                    + "replaces the room they held.") Optional<Overprovisioning> overprovisioning) {

        public Delivery {
            canary = Values.option(canary);
            overprovisioning = Values.option(overprovisioning);
        }
    }

    @Doc("A canary behind an AWS Application Load Balancer (AWS Load Balancer Controller): one forward action mixes the "
            + "Service and the legacy target group with the current step's weights; Drover steps them.")
    public record Canary(
            @Required @Doc("The environment whose clusters take the traffic.") String environment,
            @Required @Pattern(value = "^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$",
                    meaning = "a target group ARN such as arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout/0123456789abcdef")
            @Doc("The legacy deployment's target group.") String legacyTargetGroupArn,
            @Required @Doc("The host the ALB serves.") String host,
            @Required @Doc("The steps, in order: the share of traffic the Service gets, and how long it stays there.")
            List<Step> steps,
            @Doc("Running (steps advance), Paused (the weights stay) or Aborted (all traffic back to the legacy target "
                    + "group); Running unless set.") Optional<CanaryState> state) {

        public Canary {
            steps = Values.list(steps);
            state = Values.option(state);
        }

        public CanaryState effectiveState() {
            return state.orElse(CanaryState.RUNNING);
        }
    }

    @Doc("One canary step.")
    public record Step(
            @Required @Minimum(0) @Doc("Percent of the traffic the Service gets, 0 to 100.") Integer weight,
            @Pattern(value = IntegrationSpec.HOLD, meaning = "a duration such as 10m or 1h") @Doc("How long the step lasts "
                    + "before the next; the last step lasts. 10m unless set.") Optional<String> pause) {

        public Step {
            pause = Values.option(pause);
        }

        public java.time.Duration pauseDuration() {
            return pause.filter(text -> !text.isEmpty())
                    .map(text -> java.time.Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT)))
                    .orElse(java.time.Duration.ofMinutes(10));
        }
    }

    public enum CanaryState {
        @JsonProperty("Running") RUNNING,
        @JsonProperty("Paused") PAUSED,
        @JsonProperty("Aborted") ABORTED
    }

    @Doc("Capacity kept ready ahead of the node autoscaler.")
    public record Overprovisioning(
            @Required @Minimum(1) @Doc("Placeholder pods, each of the application's size.") Integer replicas,
            @Doc("Environments that get them; every environment unless set.") List<String> environments) {

        public Overprovisioning {
            environments = Values.list(environments);
        }
    }
}
