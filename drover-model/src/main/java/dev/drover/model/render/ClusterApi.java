package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.NodePool;
import dev.drover.model.schema.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Objects and names of core Cluster API (v1beta2, the version Cluster API v1.14 stores). */
final class ClusterApi {

    /** The flavor setting naming the Secret of the machines' registration script, and where the script goes. */
    static final String REGISTRATION_SECRET = "registrationSecret";
    static final String REGISTRATION_SCRIPT = "/etc/drover/register-node.sh";

    static final String GROUP = "cluster.x-k8s.io";
    static final String API_VERSION = GROUP + "/v1beta2";
    static final String CONTROL_PLANE_GROUP = "controlplane.cluster.x-k8s.io";
    static final String CONTROL_PLANE_API_VERSION = CONTROL_PLANE_GROUP + "/v1beta2";
    static final String BOOTSTRAP_GROUP = "bootstrap.cluster.x-k8s.io";
    static final String BOOTSTRAP_API_VERSION = BOOTSTRAP_GROUP + "/v1beta2";
    static final String INFRASTRUCTURE_GROUP = "infrastructure.cluster.x-k8s.io";
    static final String INFRASTRUCTURE_API_VERSION = INFRASTRUCTURE_GROUP + "/v1beta2";

    static final String DEFAULT_POD_CIDR = "192.168.0.0/16";
    static final String DEFAULT_SERVICE_CIDR = "10.128.0.0/12";
    private static final String AUTOSCALER_MIN = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    private static final String AUTOSCALER_MAX = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";
    private static final int NAME_LIMIT = 63;
    /** Marks the pools Drover scaled to zero, so that people and tools on the management cluster can tell why. */
    static final String HIBERNATED = dev.drover.model.api.Kinds.LABEL_PREFIX + "hibernated";

    private ClusterApi() {
    }

    /**
     * What the kubeadm-based providers share: a Cluster over the provider's infrastructure, a KubeadmControlPlane
     * on the given machine template, and per pool a MachineDeployment with a KubeadmConfigTemplate and a
     * machine template from {@code workerTemplate}.
     */
    static ProviderManifests kubeadm(ClusterContext context, ObjectNode infrastructure, ObjectNode controlPlaneTemplate,
                                     ObjectNode kubeadmConfigSpec, Map<String, String> kubeletArguments,
                                     java.util.Optional<String> nodeName,
                                     java.util.function.Function<NodePool, ObjectNode> workerTemplate) {
        registration(context).ifPresent(script -> addRegistration(kubeadmConfigSpec, script));
        ObjectNode controlPlane = kubeadmControlPlane(context, Manifest.reference(INFRASTRUCTURE_GROUP,
                controlPlaneTemplate.path("kind").asText(), nameOf(controlPlaneTemplate)), kubeadmConfigSpec);
        ObjectNode cluster = cluster(context, Manifest.reference(CONTROL_PLANE_GROUP, "KubeadmControlPlane", nameOf(controlPlane)),
                Manifest.reference(INFRASTRUCTURE_GROUP, infrastructure.path("kind").asText(), context.name()));
        java.util.List<ObjectNode> workers = new java.util.ArrayList<>();
        for (NodePool pool : context.spec().nodePools()) {
            ObjectNode bootstrap = kubeadmConfigTemplate(context, pool, kubeletArguments, nodeName);
            registration(context).ifPresent(script -> addRegistration(
                    bootstrap.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("spec"), script));
            ObjectNode machines = workerTemplate.apply(pool);
            workers.add(machineDeployment(context, pool, bootstrap, machines));
            workers.add(bootstrap);
            workers.add(machines);
        }
        return new ProviderManifests(cluster, java.util.List.of(infrastructure), java.util.List.of(controlPlane, controlPlaneTemplate),
                workers);
    }

    /**
     * The registration script of the flavor's {@code registrationSecret} setting, {@code <secret>/<key>}: a Secret in the
     * team's namespace on the management cluster whose value each machine runs before kubeadm (registering with patch
     * management, say). Cluster API's bootstrap provider resolves it there, so the activation key never reaches Git.
     */
    private static java.util.Optional<ObjectNode> registration(ClusterContext context) {
        return context.setting(REGISTRATION_SECRET).map(setting -> {
            String[] parts = setting.split("/");
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new RenderProblem("ProviderSettingInvalid", "registrationSecret of flavor \"" + context.flavorName()
                        + "\" is \"" + setting + "\"; write <secret>/<key>, a Secret of the team's namespace on the management "
                        + "cluster, for example patch-registration/register.sh");
            }
            ObjectNode file = dev.drover.model.schema.Json.MAPPER.createObjectNode();
            file.put("path", REGISTRATION_SCRIPT).put("owner", "root:root").put("permissions", "0700");
            file.putObject("contentFrom").putObject("secret").put("name", parts[0].strip()).put("key", parts[1].strip());
            return file;
        });
    }

    private static void addRegistration(ObjectNode configSpec, ObjectNode script) {
        configSpec.withArrayProperty("files").add(script);
        configSpec.withArrayProperty("preKubeadmCommands").add(REGISTRATION_SCRIPT);
    }

    /** The Cluster; pod and service CIDRs from the variables podCidr and serviceCidr, else the defaults. */
    static ObjectNode cluster(ClusterContext context, ObjectNode controlPlaneRef, ObjectNode infrastructureRef) {
        return cluster(context, controlPlaneRef, infrastructureRef, context.text("podCidr").orElse(DEFAULT_POD_CIDR),
                context.text("serviceCidr").orElse(DEFAULT_SERVICE_CIDR));
    }

    static ObjectNode cluster(ClusterContext context, ObjectNode controlPlaneRef, ObjectNode infrastructureRef,
                              String podCidr, String serviceCidr) {
        ObjectNode cluster = Manifest.namespaced(API_VERSION, "Cluster", context.namespace(), context.name(), context.labels());
        ObjectNode spec = cluster.putObject("spec");
        ObjectNode network = spec.putObject("clusterNetwork");
        network.putObject("pods").putArray("cidrBlocks").add(podCidr);
        network.putObject("services").putArray("cidrBlocks").add(serviceCidr);
        spec.set("controlPlaneRef", controlPlaneRef);
        spec.set("infrastructureRef", infrastructureRef);
        return cluster;
    }

    /** A kubeadm control plane of {@link ClusterContext#controlPlaneReplicas()} machines built from the template. */
    static ObjectNode kubeadmControlPlane(ClusterContext context, ObjectNode machineTemplateRef, ObjectNode kubeadmConfigSpec) {
        ObjectNode controlPlane = Manifest.namespaced(CONTROL_PLANE_API_VERSION, "KubeadmControlPlane", context.namespace(),
                controlPlaneName(context), context.labels());
        ObjectNode spec = controlPlane.putObject("spec");
        spec.put("replicas", context.controlPlaneReplicas());
        spec.put("version", context.version());
        spec.putObject("machineTemplate").putObject("spec").set("infrastructureRef", machineTemplateRef);
        spec.set("kubeadmConfigSpec", kubeadmConfigSpec);
        return controlPlane;
    }

    static String controlPlaneName(ClusterContext context) {
        return context.name() + "-control-plane";
    }

    /** The name of a pool's objects; checked because Cluster API copies it into label values (63 characters). */
    static String poolName(ClusterContext context, NodePool pool) {
        String name = context.name() + "-" + pool.name();
        if (name.length() > NAME_LIMIT) {
            throw new RenderProblem("NameTooLong", "node pool \"" + pool.name() + "\" of cluster \"" + context.name()
                    + "\" gives the object name \"" + name + "\" (" + name.length() + " characters); Cluster API needs at most "
                    + NAME_LIMIT + ", so shorten the pool or cluster name");
        }
        return name;
    }

    /**
     * Names an immutable template after its content: a changed template gets a new name, so Cluster API rolls
     * the machines over to it instead of refusing the edit.
     */
    static ObjectNode hashed(ObjectNode template, String baseName) {
        ObjectNode metadata = template.withObjectProperty("metadata");
        metadata.put("name", baseName + "-" + contentHash(template.get("spec")));
        return template;
    }

    static String contentHash(Object content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(content).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    static String nameOf(ObjectNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** A kubeadm bootstrap template for a pool's nodes: kubelet arguments and the pool's node labels. */
    static ObjectNode kubeadmConfigTemplate(ClusterContext context, NodePool pool, Map<String, String> kubeletArguments,
                                            java.util.Optional<String> nodeName) {
        ObjectNode template = Manifest.namespaced(BOOTSTRAP_API_VERSION, "KubeadmConfigTemplate", context.namespace(),
                poolName(context, pool), context.labels());
        ObjectNode registration = template.putObject("spec").putObject("template").putObject("spec")
                .putObject("joinConfiguration").putObject("nodeRegistration");
        nodeName.ifPresent(name -> registration.put("name", name));
        Map<String, String> arguments = new LinkedHashMap<>(kubeletArguments);
        if (!pool.labels().isEmpty()) {
            arguments.put("node-labels", new java.util.TreeMap<>(pool.labels()).entrySet().stream()
                    .map(label -> label.getKey() + "=" + label.getValue()).collect(Collectors.joining(",")));
        }
        registration.set("kubeletExtraArgs", Manifest.arguments(arguments));
        return hashed(template, poolName(context, pool));
    }

    /** A machine deployment the cluster autoscaler scales between the pool's sizes. */
    static ObjectNode machineDeployment(ClusterContext context, NodePool pool, ObjectNode bootstrapTemplate,
                                        ObjectNode machineTemplate) {
        ObjectNode deployment = Manifest.namespaced(API_VERSION, "MachineDeployment", context.namespace(),
                poolName(context, pool), context.labels());
        ObjectNode spec = scaled(context, pool, deployment);
        spec.put("clusterName", context.name());
        spec.putObject("selector").putObject("matchLabels");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").set("labels", Manifest.stringMap(context.labels()));
        ObjectNode machine = template.putObject("spec");
        machine.put("clusterName", context.name());
        machine.put("version", context.workerVersion());
        machine.putObject("bootstrap").set("configRef", Manifest.reference(BOOTSTRAP_GROUP, "KubeadmConfigTemplate",
                nameOf(bootstrapTemplate)));
        machine.set("infrastructureRef", Manifest.reference(INFRASTRUCTURE_GROUP, machineTemplate.path("kind").asText(),
                nameOf(machineTemplate)));
        return deployment;
    }

    /**
     * A pool's size on a MachineDeployment or MachinePool, and its spec. Awake: the autoscaler's range and no replica
     * count. Hibernated: zero replicas and no autoscaler annotations, since the autoscaler leaves node groups without
     * them alone and nothing scales the pool back. At wake-up the count leaves Git again; Cluster API's defaulting then
     * raises a pool below the autoscaler's minimum to it, and the autoscaler sizes it from there.
     */
    static ObjectNode scaled(ClusterContext context, NodePool pool, ObjectNode machines) {
        ObjectNode spec = machines.putObject("spec");
        if (context.hibernated()) {
            machines.withObjectProperty("metadata").putObject("annotations").put(HIBERNATED, "true");
            spec.put("replicas", 0);
        } else {
            machines.withObjectProperty("metadata").set("annotations", autoscalerAnnotations(pool));
        }
        return spec;
    }

    /**
     * The replica range as the cluster autoscaler reads it. The replica count itself is left out, so Git
     * does not fight the autoscaler; Cluster API starts the pool at its minimum.
     */
    static ObjectNode autoscalerAnnotations(NodePool pool) {
        return Manifest.stringMap(Map.of(AUTOSCALER_MIN, Integer.toString(pool.minSize()),
                AUTOSCALER_MAX, Integer.toString(pool.maxSize())));
    }
}
