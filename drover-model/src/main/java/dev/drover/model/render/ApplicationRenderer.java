package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.api.ApplicationSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Application in one cluster: the files of {@code clusters/<team>/<cluster>/apps/<app>/}, applied into the workload
 * cluster by a GitOps object of its own. The container's image is written on one line and nowhere else, so an image
 * update changes that line only; advanced settings are applied on top of the template's defaults exactly as given.
 */
final class ApplicationRenderer {

    static final String APPLICATION_LABEL = Kinds.LABEL_PREFIX + "application";
    static final String TEMPLATE_REVISION = Kinds.LABEL_PREFIX + "template-revision";
    /**
     * Placeholder pods yield to every pod of default priority (0) but must stay above cluster-autoscaler's
     * {@code --expendable-pods-priority-cutoff} (default -10): pods below it never make it add a node, which would defeat
     * the placeholders. Karpenter provisions for pending pods of any priority.
     */
    static final String PLACEHOLDER_PRIORITY_CLASS = "drover-overprovisioning";
    static final int PLACEHOLDER_PRIORITY = -5;
    static final String PLACEHOLDER_IMAGE = "registry.k8s.io/pause:3.10";
    private static final String CONTAINER = "app";

    /** What rendering the Application gave for the cluster. */
    sealed interface Outcome {
        String name();

        /** @param files by file name in the application's directory, the kustomization included */
        record Rendered(String name, SortedMap<String, String> files, ClusterStatus.CommittedApplication committed,
                        boolean placeholders) implements Outcome {
        }

        record Failed(String name, ClusterStatus.CommittedApplication attempted) implements Outcome {
        }
    }

    private ApplicationRenderer() {
    }

    static Outcome render(ClusterContext context, ApplicationRequest application, Optional<AppTemplateRevision> template) {
        ApplicationSpec spec = application.spec();
        String image = spec.imageFor(context.spec().environment());
        Optional<Integer> weight = canaryWeight(context, application);
        if (template.isEmpty()) {
            return failed(application, 0, image, weight, "AppTemplate \"" + spec.template() + "\" does not exist (deleted?); "
                    + "the files last committed for the application stay as they are");
        }
        var attempted = new ClusterStatus.CommittedApplication(application.name(), application.generation(),
                template.get().revision(), image, weight, Optional.empty());
        try {
            return new Outcome.Rendered(application.name(), files(context, application, template.get(), image, weight), attempted,
                    placeholders(context, spec));
        } catch (RenderProblem problem) {
            return failed(application, template.get().revision(), image, weight, problem.getMessage());
        }
    }

    private static Outcome failed(ApplicationRequest application, long revision, String image, Optional<Integer> weight,
                                  String why) {
        return new Outcome.Failed(application.name(), new ClusterStatus.CommittedApplication(application.name(),
                application.generation(), revision, image, weight, Optional.of(why)));
    }

    /** The canary's weight where the cluster takes canary traffic: 0 when aborted, step 0's until a step is decided. */
    private static Optional<Integer> canaryWeight(ClusterContext context, ApplicationRequest application) {
        return application.spec().delivery().flatMap(ApplicationSpec.Delivery::canary)
                .filter(canary -> canary.environment().equals(context.spec().environment()))
                .map(canary -> canary.effectiveState() == ApplicationSpec.CanaryState.ABORTED ? 0
                        : application.canaryWeight().orElse(canary.steps().getFirst().weight()));
    }

    static boolean placeholders(ClusterContext context, ApplicationSpec spec) {
        return spec.delivery().flatMap(ApplicationSpec.Delivery::overprovisioning)
                .filter(over -> over.environments().isEmpty() || over.environments().contains(context.spec().environment()))
                .isPresent();
    }

    private static SortedMap<String, String> files(ClusterContext context, ApplicationRequest application,
                                                   AppTemplateRevision revision, String image, Optional<Integer> weight) {
        ApplicationSpec spec = application.spec();
        AppTemplateSpec template = revision.spec();
        String name = application.name();
        String namespace = namespace(context);
        AppTemplateSpec.Size size = template.size(spec.size()).orElseThrow(() -> new RenderProblem("SizeMissing",
                "AppTemplate \"" + spec.template() + "\" has no size \"" + spec.size() + "\" any more"));
        ApplicationSpec.Advanced advanced = spec.advanced().orElse(new ApplicationSpec.Advanced(Map.of(), Optional.empty(),
                List.of(), Optional.empty(), Map.of(), List.of(), List.of()));
        Map<String, String> labels = labels(context, name);
        Map<String, ObjectNode> objects = new LinkedHashMap<>();
        objects.put("serviceaccount.yaml", serviceAccount(namespace, name, labels));
        objects.put("deployment.yaml", deployment(context, application, revision, image, size, advanced, labels));
        objects.put("service.yaml", service(namespace, name, spec, advanced, labels));
        if (size.minReplicas() < size.maxReplicas()) {
            objects.put("hpa.yaml", autoscaler(namespace, name, template, size, labels));
        }
        objects.put("pdb.yaml", disruptionBudget(namespace, name, template, labels));
        objects.put("networkpolicy.yaml", networkPolicy(namespace, name, template, spec, advanced, weight.isPresent(), labels));
        if (weight.isPresent()) {
            objects.put("ingress.yaml", canaryIngress(namespace, name, template, spec, weight.get(), labels));
        } else if (advanced.ingressHost().isPresent()) {
            objects.put("ingress.yaml", ingress(namespace, name, template, advanced.ingressHost().get(), labels));
        }
        if (placeholders(context, spec)) {
            objects.put("placeholder.yaml", placeholder(namespace, name, spec, size, advanced, labels));
        }
        SortedMap<String, String> files = new TreeMap<>();
        objects.forEach((file, object) -> files.put(file, Yaml.write(object)));
        ObjectNode kustomization = Json.MAPPER.createObjectNode();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.set("resources", Manifest.strings(objects.keySet().stream().sorted().toList()));
        if (!advanced.patches().isEmpty()) {
            // The escape hatch stays a patch, visible as such in the repository, not merged into the rendered Deployment.
            ArrayNode operations = Json.MAPPER.createArrayNode();
            for (ApplicationSpec.Patch patch : advanced.patches()) {
                ObjectNode operation = operations.addObject();
                operation.put("op", patch.op().name().toLowerCase(java.util.Locale.ROOT));
                operation.put("path", patch.path());
                patch.value().ifPresent(value -> operation.set("value", value));
            }
            ObjectNode entry = kustomization.putArray("patches").addObject();
            entry.putObject("target").put("group", "apps").put("version", "v1").put("kind", "Deployment").put("name", name);
            entry.put("patch", Json.write(operations));
        }
        files.put(FleetPaths.KUSTOMIZATION, Yaml.write(kustomization));
        return files;
    }

    static String namespace(ClusterContext context) {
        return GitOpsNames.applicationNamespace(context.flavor(), context.namespace());
    }

    private static Map<String, String> labels(ClusterContext context, String name) {
        Map<String, String> labels = new LinkedHashMap<>(context.labels());
        labels.put(APPLICATION_LABEL, name);
        labels.put("app.kubernetes.io/name", name);
        labels.put("app.kubernetes.io/managed-by", "drover");
        return labels;
    }

    private static ObjectNode selector(String name) {
        ObjectNode selector = Json.MAPPER.createObjectNode();
        selector.putObject("matchLabels").put("app.kubernetes.io/name", name);
        return selector;
    }

    private static ObjectNode serviceAccount(String namespace, String name, Map<String, String> labels) {
        ObjectNode account = Manifest.namespaced("v1", "ServiceAccount", namespace, name, labels);
        account.put("automountServiceAccountToken", false);
        return account;
    }

    private static ObjectNode deployment(ClusterContext context, ApplicationRequest application, AppTemplateRevision revision,
                                         String image, AppTemplateSpec.Size size, ApplicationSpec.Advanced advanced,
                                         Map<String, String> labels) {
        ApplicationSpec spec = application.spec();
        AppTemplateSpec template = revision.spec();
        String name = application.name();
        ObjectNode deployment = Manifest.namespaced("apps/v1", "Deployment", namespace(context), name, labels);
        deployment.withObjectProperty("metadata").putObject("annotations")
                .put(Kinds.TEMPLATE_LABEL, spec.template())
                .put(TEMPLATE_REVISION, Long.toString(revision.revision()));
        ObjectNode deploymentSpec = deployment.putObject("spec");
        if (size.minReplicas().equals(size.maxReplicas())) {
            // With an autoscaler the replica count is the autoscaler's: a count in Git would reset it on every apply.
            deploymentSpec.put("replicas", size.minReplicas());
        }
        deploymentSpec.put("revisionHistoryLimit", 5);
        deploymentSpec.set("selector", selector(name));
        ObjectNode rolling = deploymentSpec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
        rolling.put("maxSurge", "25%");
        rolling.put("maxUnavailable", 0);
        ObjectNode pod = deploymentSpec.putObject("template");
        ObjectNode podLabels = pod.putObject("metadata").putObject("labels");
        podLabels.put(APPLICATION_LABEL, name);
        podLabels.put("app.kubernetes.io/name", name);
        ObjectNode podSpec = pod.putObject("spec");
        podSpec.put("serviceAccountName", name);
        podSpec.put("automountServiceAccountToken", false);
        podSecurity(podSpec, template);
        if (template.spreadOverZones().orElse(true)) {
            ArrayNode spread = podSpec.putArray("topologySpreadConstraints");
            for (String key : List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")) {
                ObjectNode constraint = spread.addObject();
                constraint.put("maxSkew", 1);
                constraint.put("topologyKey", key);
                constraint.put("whenUnsatisfiable", "ScheduleAnyway");
                constraint.set("labelSelector", selector(name));
            }
        }
        scheduling(podSpec, advanced);
        ObjectNode container = podSpec.putArray("containers").addObject();
        container.put("name", CONTAINER);
        container.put("image", image);
        ArrayNode ports = container.putArray("ports");
        ports.addObject().put("name", "http").put("containerPort", spec.port()).put("protocol", "TCP");
        advanced.extraPorts().forEach(port -> ports.addObject().put("name", port.name()).put("containerPort", port.port())
                .put("protocol", "TCP"));
        if (!advanced.variables().isEmpty()) {
            ArrayNode env = container.putArray("env");
            new TreeMap<>(advanced.variables()).forEach((key, value) -> env.addObject().put("name", key).put("value", value));
        }
        container.set("resources", resources(size, advanced));
        probes(container, template);
        ObjectNode security = container.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false);
        boolean readOnly = template.security().flatMap(AppTemplateSpec.Security::readOnlyRootFilesystem).orElse(true);
        security.put("readOnlyRootFilesystem", readOnly);
        security.putObject("capabilities").putArray("drop").add("ALL");
        if (readOnly) {
            container.putArray("volumeMounts").addObject().put("name", "tmp").put("mountPath", "/tmp");
            podSpec.putArray("volumes").addObject().put("name", "tmp").putObject("emptyDir");
        }
        return deployment;
    }

    private static void podSecurity(ObjectNode podSpec, AppTemplateSpec template) {
        ObjectNode podSecurity = podSpec.putObject("securityContext");
        podSecurity.put("runAsNonRoot", true);
        template.security().flatMap(AppTemplateSpec.Security::runAsUser).ifPresent(user -> podSecurity.put("runAsUser", user));
        podSecurity.putObject("seccompProfile").put("type", "RuntimeDefault");
    }

    private static void scheduling(ObjectNode podSpec, ApplicationSpec.Advanced advanced) {
        if (!advanced.nodeSelector().isEmpty()) {
            podSpec.set("nodeSelector", Manifest.stringMap(advanced.nodeSelector()));
        }
        if (!advanced.tolerations().isEmpty()) {
            ArrayNode tolerations = podSpec.putArray("tolerations");
            for (ApplicationSpec.Toleration toleration : advanced.tolerations()) {
                ObjectNode entry = tolerations.addObject();
                entry.put("key", toleration.key());
                entry.put("operator", toleration.operator().orElse(toleration.value().isPresent() ? "Equal" : "Exists"));
                toleration.value().ifPresent(value -> entry.put("value", value));
                toleration.effect().ifPresent(effect -> entry.put("effect", effect));
            }
        }
    }

    /** Memory is not overcommitted (limit = request); CPU has no limit unless the size or the team sets one. */
    private static ObjectNode resources(AppTemplateSpec.Size size, ApplicationSpec.Advanced advanced) {
        Optional<ApplicationSpec.Resources> custom = advanced.resources();
        String cpu = custom.flatMap(ApplicationSpec.Resources::cpu).orElse(size.cpu());
        String memory = custom.flatMap(ApplicationSpec.Resources::memory).orElse(size.memory());
        Optional<String> cpuLimit = custom.flatMap(ApplicationSpec.Resources::cpuLimit).or(size::cpuLimit);
        ObjectNode resources = Json.MAPPER.createObjectNode();
        resources.putObject("requests").put("cpu", cpu).put("memory", memory);
        ObjectNode limits = resources.putObject("limits");
        cpuLimit.ifPresent(limit -> limits.put("cpu", limit));
        limits.put("memory", memory);
        return resources;
    }

    private static void probes(ObjectNode container, AppTemplateSpec template) {
        Optional<AppTemplateSpec.Probes> probes = template.probes();
        int startup = probes.flatMap(AppTemplateSpec.Probes::startupSeconds).orElse(60);
        ObjectNode readiness = probe(probes.flatMap(AppTemplateSpec.Probes::readinessPath));
        readiness.put("periodSeconds", 5);
        readiness.put("failureThreshold", 3);
        container.set("readinessProbe", readiness);
        ObjectNode liveness = probe(probes.flatMap(AppTemplateSpec.Probes::livenessPath));
        liveness.put("periodSeconds", 10);
        liveness.put("failureThreshold", 3);
        container.set("livenessProbe", liveness);
        if (startup > 0) {
            // Liveness counts only once the startup probe passed, so a slow start is not a restart loop.
            ObjectNode startupProbe = probe(probes.flatMap(AppTemplateSpec.Probes::readinessPath)
                    .or(() -> probes.flatMap(AppTemplateSpec.Probes::livenessPath)));
            startupProbe.put("periodSeconds", 5);
            startupProbe.put("failureThreshold", Math.max(1, (startup + 4) / 5));
            container.set("startupProbe", startupProbe);
        }
    }

    private static ObjectNode probe(Optional<String> path) {
        ObjectNode probe = Json.MAPPER.createObjectNode();
        if (path.isPresent()) {
            probe.putObject("httpGet").put("path", path.get()).put("port", "http");
        } else {
            probe.putObject("tcpSocket").put("port", "http");
        }
        return probe;
    }

    private static ObjectNode service(String namespace, String name, ApplicationSpec spec, ApplicationSpec.Advanced advanced,
                                      Map<String, String> labels) {
        ObjectNode service = Manifest.namespaced("v1", "Service", namespace, name, labels);
        ObjectNode serviceSpec = service.putObject("spec");
        serviceSpec.put("type", "ClusterIP");
        serviceSpec.set("selector", selector(name).get("matchLabels"));
        ArrayNode ports = serviceSpec.putArray("ports");
        ports.addObject().put("name", "http").put("port", spec.port()).put("targetPort", "http").put("protocol", "TCP");
        advanced.extraPorts().forEach(port -> ports.addObject().put("name", port.name()).put("port", port.port())
                .put("targetPort", port.name()).put("protocol", "TCP"));
        return service;
    }

    private static ObjectNode autoscaler(String namespace, String name, AppTemplateSpec template, AppTemplateSpec.Size size,
                                         Map<String, String> labels) {
        ObjectNode hpa = Manifest.namespaced("autoscaling/v2", "HorizontalPodAutoscaler", namespace, name, labels);
        ObjectNode spec = hpa.putObject("spec");
        spec.putObject("scaleTargetRef").put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", name);
        spec.put("minReplicas", size.minReplicas());
        spec.put("maxReplicas", size.maxReplicas());
        ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
        resource.put("name", "cpu");
        resource.putObject("target").put("type", "Utilization")
                .put("averageUtilization", template.targetCpuUtilization().orElse(70));
        return hpa;
    }

    private static ObjectNode disruptionBudget(String namespace, String name, AppTemplateSpec template, Map<String, String> labels) {
        ObjectNode pdb = Manifest.namespaced("policy/v1", "PodDisruptionBudget", namespace, name, labels);
        ObjectNode spec = pdb.putObject("spec");
        // maxUnavailable, not minAvailable: with one replica minAvailable: 1 would block every node drain.
        String maxUnavailable = template.maxUnavailable().orElse("1");
        if (maxUnavailable.endsWith("%")) {
            spec.put("maxUnavailable", maxUnavailable);
        } else {
            spec.put("maxUnavailable", Integer.parseInt(maxUnavailable));
        }
        spec.set("selector", selector(name));
        return pdb;
    }

    private static ObjectNode networkPolicy(String namespace, String name, AppTemplateSpec template, ApplicationSpec spec,
                                            ApplicationSpec.Advanced advanced, boolean fromLoadBalancer, Map<String, String> labels) {
        ObjectNode policy = Manifest.namespaced("networking.k8s.io/v1", "NetworkPolicy", namespace, name, labels);
        ObjectNode policySpec = policy.putObject("spec");
        policySpec.set("podSelector", selector(name));
        policySpec.putArray("policyTypes").add("Ingress").add("Egress");
        AppTemplateSpec.Network network = template.network().orElse(new AppTemplateSpec.Network(List.of(), List.of(),
                Optional.empty()));
        ArrayNode ingress = policySpec.putArray("ingress");
        ObjectNode fromCluster = ingress.addObject();
        ArrayNode from = fromCluster.putArray("from");
        from.addObject().putObject("podSelector");
        network.ingressFromNamespaces().stream().sorted().forEach(allowed -> from.addObject().putObject("namespaceSelector")
                .putObject("matchLabels").put("kubernetes.io/metadata.name", allowed));
        fromCluster.set("ports", ports(spec, advanced));
        boolean alb = fromLoadBalancer || template.ingress().map(style -> style.className().equals("alb")).orElse(false)
                && advanced.ingressHost().isPresent();
        if (alb) {
            // An ALB in IP mode connects from its own addresses in the VPC, which no namespace selector names.
            ingress.addObject().set("ports", Json.MAPPER.createArrayNode().add(port(spec.port())));
        }
        ArrayNode egress = policySpec.putArray("egress");
        ObjectNode dns = egress.addObject();
        dns.putArray("to").addObject().putObject("namespaceSelector");
        ArrayNode dnsPorts = dns.putArray("ports");
        dnsPorts.addObject().put("protocol", "UDP").put("port", 53);
        dnsPorts.addObject().put("protocol", "TCP").put("port", 53);
        if (network.egressToNamespace().orElse(false)) {
            egress.addObject().putArray("to").addObject().putObject("podSelector");
        }
        for (AppTemplateSpec.Egress opening : network.egress()) {
            ObjectNode rule = egress.addObject();
            rule.putArray("to").addObject().putObject("ipBlock").put("cidr", opening.cidr());
            if (!opening.ports().isEmpty()) {
                ArrayNode rulePorts = rule.putArray("ports");
                opening.ports().forEach(number -> rulePorts.add(port(number)));
            }
        }
        return policy;
    }

    private static ArrayNode ports(ApplicationSpec spec, ApplicationSpec.Advanced advanced) {
        ArrayNode ports = Json.MAPPER.createArrayNode();
        ports.add(port(spec.port()));
        advanced.extraPorts().forEach(extra -> ports.add(port(extra.port())));
        return ports;
    }

    private static ObjectNode port(int number) {
        ObjectNode port = Json.MAPPER.createObjectNode();
        port.put("protocol", "TCP");
        port.put("port", number);
        return port;
    }

    private static ObjectNode ingress(String namespace, String name, AppTemplateSpec template, String host,
                                      Map<String, String> labels) {
        AppTemplateSpec.IngressStyle style = template.ingress().orElseThrow(() -> new RenderProblem("IngressNotOffered",
                "AppTemplate has no spec.ingress any more, so spec.advanced.ingressHost cannot be served"));
        ObjectNode ingress = Manifest.namespaced("networking.k8s.io/v1", "Ingress", namespace, name, labels);
        if (!style.annotations().isEmpty()) {
            ingress.withObjectProperty("metadata").set("annotations", Manifest.stringMap(style.annotations()));
        }
        ObjectNode spec = ingress.putObject("spec");
        spec.put("ingressClassName", style.className());
        style.tlsSecretName().ifPresent(secret -> {
            ObjectNode tls = spec.putArray("tls").addObject();
            tls.putArray("hosts").add(host);
            tls.put("secretName", secret);
        });
        ObjectNode backend = rule(spec, host).putObject("backend").putObject("service");
        backend.put("name", name);
        backend.putObject("port").put("name", "http");
        return ingress;
    }

    /**
     * The AWS Load Balancer Controller's weighted forward action: the Service and the legacy target group share the
     * traffic with the step's weights. The rule's backend names the action, with the port {@code use-annotation}.
     */
    private static ObjectNode canaryIngress(String namespace, String name, AppTemplateSpec template, ApplicationSpec spec,
                                            int weight, Map<String, String> labels) {
        ApplicationSpec.Canary canary = spec.delivery().flatMap(ApplicationSpec.Delivery::canary).orElseThrow();
        String action = name + "-canary";
        ObjectNode ingress = Manifest.namespaced("networking.k8s.io/v1", "Ingress", namespace, name, labels);
        Map<String, String> annotations = new TreeMap<>(template.ingress().map(AppTemplateSpec.IngressStyle::annotations)
                .orElse(Map.of()));
        annotations.putIfAbsent("alb.ingress.kubernetes.io/target-type", "ip");
        ObjectNode forward = Json.MAPPER.createObjectNode();
        forward.put("type", "forward");
        ArrayNode groups = forward.putObject("forwardConfig").putArray("targetGroups");
        groups.addObject().put("serviceName", name).put("servicePort", Integer.toString(spec.port())).put("weight", weight);
        groups.addObject().put("targetGroupARN", canary.legacyTargetGroupArn()).put("weight", 100 - weight);
        annotations.put("alb.ingress.kubernetes.io/actions." + action, Json.write(forward));
        ingress.withObjectProperty("metadata").set("annotations", Manifest.stringMap(annotations));
        ObjectNode ingressSpec = ingress.putObject("spec");
        ingressSpec.put("ingressClassName", template.ingress().map(AppTemplateSpec.IngressStyle::className).orElse("alb"));
        ObjectNode backend = rule(ingressSpec, canary.host()).putObject("backend").putObject("service");
        backend.put("name", action);
        backend.putObject("port").put("name", "use-annotation");
        return ingress;
    }

    /** A host's catch-all path; the caller fills in its backend. */
    private static ObjectNode rule(ObjectNode ingressSpec, String host) {
        ObjectNode rule = ingressSpec.putArray("rules").addObject();
        rule.put("host", host);
        ObjectNode path = rule.putObject("http").putArray("paths").addObject();
        path.put("path", "/");
        path.put("pathType", "Prefix");
        return path;
    }

    /** Pods of the application's requests that hold room for it and give it up to any real pod. */
    private static ObjectNode placeholder(String namespace, String name, ApplicationSpec spec, AppTemplateSpec.Size size,
                                          ApplicationSpec.Advanced advanced, Map<String, String> labels) {
        String placeholder = name + "-placeholder";
        Map<String, String> placeholderLabels = new LinkedHashMap<>(labels);
        placeholderLabels.put("app.kubernetes.io/name", placeholder);
        ObjectNode deployment = Manifest.namespaced("apps/v1", "Deployment", namespace, placeholder, placeholderLabels);
        ObjectNode deploymentSpec = deployment.putObject("spec");
        deploymentSpec.put("replicas", spec.delivery().flatMap(ApplicationSpec.Delivery::overprovisioning).orElseThrow().replicas());
        deploymentSpec.set("selector", selector(placeholder));
        ObjectNode pod = deploymentSpec.putObject("template");
        pod.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", placeholder);
        ObjectNode podSpec = pod.putObject("spec");
        podSpec.put("priorityClassName", PLACEHOLDER_PRIORITY_CLASS);
        podSpec.put("terminationGracePeriodSeconds", 0);
        podSpec.put("automountServiceAccountToken", false);
        podSpec.putObject("securityContext").put("runAsNonRoot", true).put("runAsUser", 65535)
                .putObject("seccompProfile").put("type", "RuntimeDefault");
        scheduling(podSpec, advanced);
        ObjectNode container = podSpec.putArray("containers").addObject();
        container.put("name", "placeholder");
        container.put("image", PLACEHOLDER_IMAGE);
        ObjectNode resources = resources(size, advanced);
        ((ObjectNode) resources.get("limits")).remove("cpu");
        container.set("resources", resources);
        ObjectNode security = container.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false);
        security.put("readOnlyRootFilesystem", true);
        security.putObject("capabilities").putArray("drop").add("ALL");
        return deployment;
    }

    /** The cluster-wide class of the placeholders, in the tenancy directory of a cluster that runs any. */
    static ObjectNode placeholderPriorityClass(Map<String, String> labels) {
        ObjectNode priorityClass = Manifest.clusterScoped("scheduling.k8s.io/v1", "PriorityClass", PLACEHOLDER_PRIORITY_CLASS,
                labels);
        priorityClass.put("value", PLACEHOLDER_PRIORITY);
        priorityClass.put("globalDefault", false);
        // Placeholders are preempted; they never preempt.
        priorityClass.put("preemptionPolicy", "Never");
        priorityClass.put("description", "Placeholder pods that keep node capacity ready for Drover Applications: any pod "
                + "of default priority preempts them, and cluster-autoscaler still adds nodes for them (above its "
                + "expendable-pods cutoff of -10).");
        return priorityClass;
    }
}
