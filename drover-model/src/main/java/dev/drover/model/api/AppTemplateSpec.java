package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("The platform's standard for one kind of workload (a Java service, a Python worker, a static site): the sizes, "
        + "probes, security context, disruption budget, autoscaling, network policy and scan gates every Application of "
        + "the template gets, the advanced settings a team may add, and the Dockerfile and CI pipeline it scaffolds.")
public record AppTemplateSpec(
        @Required @Doc("The runtime the scaffold builds for.") Runtime runtime,
        @Doc("A line for people choosing a template.") Optional<String> description,
        @Required @ListMap("name") @Doc("The sizes an Application picks from, such as small, medium and large.") List<Size> sizes,
        @Doc("The HTTP probes of the container; without them the container gets a TCP probe on its port.")
        Optional<Probes> probes,
        @Doc("Container security beyond what Drover always sets (non-root, no privilege escalation, all capabilities "
                + "dropped, the runtime's seccomp profile).") Optional<Security> security,
        @Doc("The PodDisruptionBudget: how many pods a drain may take at once; 1 unless set.")
        @Pattern(value = "^([0-9]+|[0-9]{1,2}%|100%)$", meaning = "a number of pods or a percentage such as 25%")
        Optional<String> maxUnavailable,
        @Minimum(1) @Doc("The HorizontalPodAutoscaler's average CPU utilisation target in percent of the request; 70 unless "
                + "set. A size whose minReplicas equals maxReplicas gets no autoscaler.") Optional<Integer> targetCpuUtilization,
        @Doc("Whether pods spread over zones (topology.kubernetes.io/zone) and nodes, as far as they can; true unless set.")
        Optional<Boolean> spreadOverZones,
        @Doc("What the network policy opens besides the deny-everything default.") Optional<Network> network,
        @Doc("The ingress class and annotations of the Applications that set an ingress host.") Optional<IngressStyle> ingress,
        @ListSet @Doc("The advanced settings a team may give: variables, resources, extraPorts, ingressHost, nodeSelector, "
                + "tolerations, patches.") List<AdvancedKey> allowedAdvanced,
        @ListSet @Doc("JSON pointer prefixes of the Deployment that spec.advanced.patches may change, for example "
                + "/spec/template/spec/containers/0/args.") List<String> allowedPatchPaths,
        @ListMap("environment") @Doc("Which findings of an image's scan keep it out of an environment; an environment without "
                + "a gate takes any image.") List<ScanGate> scanGates,
        @Doc("What `drover app scaffold` writes for the team's repository.") Optional<Scaffold> scaffold) {

    public AppTemplateSpec {
        description = Values.option(description);
        sizes = Values.list(sizes);
        probes = Values.option(probes);
        security = Values.option(security);
        maxUnavailable = Values.option(maxUnavailable);
        targetCpuUtilization = Values.option(targetCpuUtilization);
        spreadOverZones = Values.option(spreadOverZones);
        network = Values.option(network);
        ingress = Values.option(ingress);
        allowedAdvanced = Values.list(allowedAdvanced);
        allowedPatchPaths = Values.list(allowedPatchPaths);
        scanGates = Values.list(scanGates);
        scaffold = Values.option(scaffold);
    }

    public Optional<Size> size(String name) {
        return sizes.stream().filter(size -> size.name().equals(name)).findFirst();
    }

    public Optional<ScanGate> scanGate(String environment) {
        return scanGates.stream().filter(gate -> gate.environment().equals(environment)).findFirst();
    }

    public enum Runtime {
        @JsonProperty("java") JAVA,
        @JsonProperty("node") NODE,
        @JsonProperty("python") PYTHON,
        @JsonProperty("static") STATIC;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The keys of spec.advanced of an Application. */
    public enum AdvancedKey {
        @JsonProperty("variables") VARIABLES,
        @JsonProperty("resources") RESOURCES,
        @JsonProperty("extraPorts") EXTRA_PORTS,
        @JsonProperty("ingressHost") INGRESS_HOST,
        @JsonProperty("nodeSelector") NODE_SELECTOR,
        @JsonProperty("tolerations") TOLERATIONS,
        @JsonProperty("patches") PATCHES;

        public String wireName() {
            String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
            return words.length == 1 ? words[0] : words[0] + Character.toUpperCase(words[1].charAt(0)) + words[1].substring(1);
        }
    }

    @Doc("Requests, limits and replica range of one size.")
    public record Size(
            @Required @Doc("Size name, for example small.") String name,
            @Required @Doc("CPU request, such as 250m.") String cpu,
            @Required @Doc("Memory request and limit, such as 512Mi (memory is not overcommitted).") String memory,
            @Doc("CPU limit; none unless set (a CPU limit throttles a service that could have used idle cores).")
            Optional<String> cpuLimit,
            @Required @Minimum(1) @Doc("Fewest replicas.") Integer minReplicas,
            @Required @Minimum(1) @Doc("Most replicas the autoscaler may run.") Integer maxReplicas) {

        public Size {
            cpuLimit = Values.option(cpuLimit);
        }
    }

    @Doc("HTTP probes on the container's port.")
    public record Probes(
            @Doc("Readiness path, such as /ready.") Optional<String> readinessPath,
            @Doc("Liveness path, such as /healthz.") Optional<String> livenessPath,
            @Minimum(0) @Doc("Seconds the container may take to start before liveness counts (a startup probe); 60 unless set.")
            Optional<Integer> startupSeconds) {

        public Probes {
            readinessPath = Values.option(readinessPath);
            livenessPath = Values.option(livenessPath);
            startupSeconds = Values.option(startupSeconds);
        }
    }

    @Doc("Container security.")
    public record Security(
            @Minimum(1) @Doc("The user id the container runs as; the image's own non-root user unless set.")
            Optional<Long> runAsUser,
            @Doc("Whether the root filesystem is read-only (an emptyDir is mounted at /tmp); true unless set.")
            Optional<Boolean> readOnlyRootFilesystem) {

        public Security {
            runAsUser = Values.option(runAsUser);
            readOnlyRootFilesystem = Values.option(readOnlyRootFilesystem);
        }
    }

    @Doc("The network policy's openings: from where the port may be reached, and where pods may connect.")
    public record Network(
            @ListSet @Doc("Namespaces of the workload cluster whose pods may reach the application's ports (the ingress "
                    + "controller's, a monitoring namespace); pods of the application's own namespace always may.")
            List<String> ingressFromNamespaces,
            @ListMap("cidr") @Doc("Destinations outside the cluster the pods may connect to. DNS (port 53 in any namespace) is "
                    + "always open.") List<Egress> egress,
            @Doc("Whether pods may connect to any pod of their own namespace; false unless set.") Optional<Boolean> egressToNamespace) {

        public Network {
            ingressFromNamespaces = Values.list(ingressFromNamespaces);
            egress = Values.list(egress);
            egressToNamespace = Values.option(egressToNamespace);
        }
    }

    @Doc("One egress opening.")
    public record Egress(
            @Required @Doc("Destination CIDR, such as 10.0.0.0/8 or 0.0.0.0/0.") String cidr,
            @Doc("TCP ports; every port when empty.") List<Integer> ports) {

        public Egress {
            ports = Values.list(ports);
        }
    }

    @Doc("How an Application with an ingress host is exposed.")
    public record IngressStyle(
            @Required @Doc("The IngressClass, such as nginx or alb.") String className,
            @Doc("Annotations every Ingress of the template carries (TLS, scheme).") java.util.Map<String, String> annotations,
            @Doc("The Secret holding the TLS certificate of every host, for controllers that terminate TLS from a Secret.")
            Optional<String> tlsSecretName) {

        public IngressStyle {
            annotations = Values.map(annotations);
            tlsSecretName = Values.option(tlsSecretName);
        }
    }

    @Doc("A scan gate: an image enters the environment only with a scan of its digest without findings of these severities.")
    public record ScanGate(
            @Required @Doc("Environment name.") String environment,
            @Required @ListSet @Doc("Severities that block: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN.") List<Severity> block,
            @Doc("Whether findings without a fixed version are ignored; false unless set.") Optional<Boolean> ignoreUnfixed) {

        public ScanGate {
            block = Values.list(block);
            ignoreUnfixed = Values.option(ignoreUnfixed);
        }
    }

    /** Trivy's severities. */
    public enum Severity {
        CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN
    }

    @Doc("The scaffold's build: pinned base images and the command that builds the artifact.")
    public record Scaffold(
            @Required @Doc("The image the build stage runs in, pinned by digest (name:tag@sha256:...).") String buildImage,
            @Required @Doc("The image the application runs in, pinned by digest.") String runtimeImage,
            @Doc("The build command, such as ./mvnw -B package -DskipTests; the runtime's usual one unless set.")
            Optional<String> buildCommand,
            @Doc("Where the build leaves what runs, such as target/app.jar; the runtime's usual place unless set.")
            Optional<String> artifact,
            @Doc("The registry images are pushed to, such as registry.example.com/payments.") Optional<String> registry,
            @Doc("Whether a Jenkinsfile is written besides the GitHub Actions and GitLab CI pipelines; false unless set.")
            Optional<Boolean> jenkins) {

        public Scaffold {
            buildCommand = Values.option(buildCommand);
            artifact = Values.option(artifact);
            registry = Values.option(registry);
            jenkins = Values.option(jenkins);
        }
    }
}
