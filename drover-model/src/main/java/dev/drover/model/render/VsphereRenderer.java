package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.FlavorSettings;
import dev.drover.model.api.IPPoolSpec;
import dev.drover.model.ipam.DroverIpam;
import dev.drover.model.schema.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * {@code vsphere}: CAPV with a kubeadm control plane behind a kube-vip virtual IP, nodes cloned from a VM
 * template and addressed from an IPAM pool.
 */
final class VsphereRenderer {

    private static final String NODE_NAME = "{{ local_hostname }}";
    private static final Map<String, String> KUBELET = Map.of("cloud-provider", "external");
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("^.*?([0-9]+)c-([0-9]+)g$");
    private static final String IPAM_GROUP = "ipam.cluster.x-k8s.io";
    /** The pool kinds of the in-cluster IPAM provider, for flavors that keep using it. */
    private static final List<String> IN_CLUSTER_KINDS = List.of("GlobalInClusterIPPool", "InClusterIPPool");

    private VsphereRenderer() {
    }

    static ProviderManifests render(ClusterContext context) {
        String endpoint = context.requiredText("controlPlaneEndpoint");
        ObjectNode infrastructure = vsphereCluster(context, endpoint);
        String controlPlaneType = FlavorSettings.controlPlaneInstanceType(context.flavor(), context.spec())
                .orElseThrow(() -> new RenderProblem(
                        "ProviderSettingMissing", "flavor \"" + context.flavorName() + "\" lists no instance types and no "
                        + "controlPlaneInstanceType; add one so the control plane can be sized"));
        ObjectNode controlPlaneTemplate = machineTemplate(context, ClusterApi.controlPlaneName(context), controlPlaneType,
                context.machineImage());
        return ClusterApi.kubeadm(context, infrastructure, controlPlaneTemplate, kubeadmConfigSpec(context, endpoint), KUBELET,
                Optional.of(NODE_NAME), pool -> machineTemplate(context, ClusterApi.poolName(context, pool), pool.instanceType(),
                        context.workerMachineImage()));
    }

    private static ObjectNode vsphereCluster(ClusterContext context, String endpoint) {
        ObjectNode cluster = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "VSphereCluster", context.namespace(),
                context.name(), context.labels());
        ObjectNode spec = cluster.putObject("spec");
        spec.putObject("controlPlaneEndpoint").put("host", endpoint).put("port", 6443);
        context.setting("identityName").ifPresent(identity ->
                spec.putObject("identityRef").put("kind", "VSphereClusterIdentity").put("name", identity));
        spec.put("server", context.requiredSetting("server"));
        context.setting("thumbprint").ifPresent(thumbprint -> spec.put("thumbprint", thumbprint));
        return cluster;
    }

    private static ObjectNode machineTemplate(ClusterContext context, String baseName, String instanceType, String image) {
        Matcher size = SIZE.matcher(instanceType);
        if (!size.matches()) {
            throw new RenderProblem("InstanceTypeInvalid", "vSphere instance type \"" + instanceType + "\" does not say its size; "
                    + "name vSphere instance types <name>-<cpus>c-<memory GiB>g, for example medium-8c-32g");
        }
        ObjectNode template = Manifest.namespaced(ClusterApi.INFRASTRUCTURE_API_VERSION, "VSphereMachineTemplate",
                context.namespace(), baseName, context.labels());
        ObjectNode machine = template.putObject("spec").putObject("template").putObject("spec");
        machine.put("server", context.requiredSetting("server"));
        context.setting("thumbprint").ifPresent(thumbprint -> machine.put("thumbprint", thumbprint));
        machine.put("datacenter", context.requiredSetting("datacenter"));
        machine.put("datastore", context.requiredSetting("datastore"));
        context.setting("resourcePool").ifPresent(pool -> machine.put("resourcePool", pool));
        context.setting("folder").ifPresent(folder -> machine.put("folder", folder));
        context.setting("storagePolicyName").ifPresent(policy -> machine.put("storagePolicyName", policy));
        machine.put("template", image);
        machine.put("cloneMode", "linkedClone");
        machine.put("numCPUs", Integer.parseInt(size.group(1)));
        machine.put("memoryMiB", Long.parseLong(size.group(2)) * 1024);
        machine.put("diskGiB", context.diskGiB());
        ObjectNode device = machine.putObject("network").putArray("devices").addObject();
        device.put("networkName", context.requiredSetting("network"));
        context.setting("ipPool").ifPresentOrElse(pool -> {
            String kind = context.setting("ipPoolKind").orElse(DroverIpam.POOL_KIND);
            if (kind.equals(DroverIpam.POOL_KIND)) {
                IPPoolSpec drawn = droverPool(context, pool);
                device.putArray("addressesFromPools").add(Manifest.reference(DroverIpam.GROUP, kind, pool));
                // A static address comes without DNS servers (IPAM carries none); without them nodes resolve nothing.
                device.set("nameservers", Manifest.strings(drawn.dnsServers().isEmpty() ? nameservers(context) : drawn.dnsServers()));
                searchDomains(context, drawn.searchDomains()).ifPresent(domains -> device.set("searchDomains", domains));
            } else if (IN_CLUSTER_KINDS.contains(kind)) {
                device.putArray("addressesFromPools").add(Manifest.reference(IPAM_GROUP, kind, pool));
                device.set("nameservers", Manifest.strings(nameservers(context)));
                searchDomains(context, List.of()).ifPresent(domains -> device.set("searchDomains", domains));
            } else {
                throw new RenderProblem("ProviderSettingInvalid", "ipPoolKind of flavor \"" + context.flavorName() + "\" is \""
                        + kind + "\"; use IPPool (Drover's pools, the default) or GlobalInClusterIPPool / InClusterIPPool (the "
                        + "in-cluster IPAM provider's)");
            }
        }, () -> device.put("dhcp4", true));
        return ClusterApi.hashed(template, baseName);
    }

    /** The Drover IPPool the nodes draw from, which must exist and let the cluster draw. */
    private static IPPoolSpec droverPool(ClusterContext context, String name) {
        IPPoolSpec pool = context.pools().get(name);
        if (pool == null) {
            throw new RenderProblem("IPPoolMissing", "flavor \"" + context.flavorName() + "\" gives node addresses from IPPool \""
                    + name + "\", which does not exist; create it (kubectl apply -f an IPPool) or set the flavor's ipPool to one of "
                    + "`kubectl get ippools`");
        }
        if (!pool.allows(context.flavorName(), context.spec().environment(), context.id().team())) {
            throw new RenderProblem("IPPoolNotAllowed", "IPPool \"" + name + "\" does not let clusters of flavor \""
                    + context.flavorName() + "\", environment " + context.spec().environment() + " and team " + context.id().team()
                    + " draw addresses (spec.scope); widen the pool's scope or give the cluster another pool");
        }
        return pool;
    }

    private static Optional<ArrayNode> searchDomains(ClusterContext context, List<String> fromPool) {
        List<String> domains = !fromPool.isEmpty() ? fromPool : context.setting("searchDomains").map(setting -> Arrays
                .stream(setting.split(",")).map(String::trim).filter(domain -> !domain.isEmpty()).toList()).orElse(List.of());
        return domains.isEmpty() ? Optional.empty() : Optional.of(Manifest.strings(domains));
    }

    /** The DNS servers of nodes with static addresses: at most three, as resolv.conf allows. */
    private static List<String> nameservers(ClusterContext context) {
        String setting = context.setting("nameservers").orElseThrow(() -> new RenderProblem("ProviderSettingMissing",
                "nodes of flavor \"" + context.flavorName() + "\" get static addresses from an IP pool without DNS servers; "
                        + "set the IPPool's spec.dnsServers, or spec.providerSettings.nameservers of the flavor (comma-separated "
                        + "addresses, at most three)"));
        List<String> servers = Arrays.stream(setting.split(",")).map(String::trim).filter(server -> !server.isEmpty()).toList();
        if (servers.isEmpty() || servers.size() > 3
                || !servers.stream().allMatch(server -> server.matches("^([0-9]{1,3}\\.){3}[0-9]{1,3}$|^[0-9a-fA-F:]+:[0-9a-fA-F:]*$"))) {
            throw new RenderProblem("ProviderSettingInvalid", "nameservers of flavor \"" + context.flavorName() + "\" is \""
                    + setting + "\"; give one to three IP addresses separated by commas, for example 10.20.0.2,10.20.0.3");
        }
        return servers;
    }

    /** kube-vip runs as a static pod on every control-plane node and holds the endpoint address. */
    private static ObjectNode kubeadmConfigSpec(ClusterContext context, String endpoint) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ArrayNode files = spec.putArray("files");
        files.addObject().put("path", "/etc/kubernetes/manifests/kube-vip.yaml").put("owner", "root:root")
                .put("permissions", "0644").put("content", KubeVip.staticPod(endpoint,
                        context.setting("kubeVipVersion").orElse(KubeVip.DEFAULT_VERSION)));
        files.addObject().put("path", KubeVip.KUBECONFIG_SWITCH).put("owner", "root:root").put("permissions", "0700")
                .put("content", KubeVip.kubeconfigSwitch());
        spec.putArray("preKubeadmCommands").add(KubeVip.KUBECONFIG_SWITCH + " super-admin");
        spec.putArray("postKubeadmCommands").add(KubeVip.KUBECONFIG_SWITCH + " admin");
        for (String phase : List.of("initConfiguration", "joinConfiguration")) {
            ObjectNode registration = spec.putObject(phase).putObject("nodeRegistration");
            registration.put("name", NODE_NAME);
            registration.set("kubeletExtraArgs", Manifest.arguments(KUBELET));
        }
        return spec;
    }
}
