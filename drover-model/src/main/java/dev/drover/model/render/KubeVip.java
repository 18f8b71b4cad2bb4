package dev.drover.model.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The kube-vip static pod that announces a kubeadm control plane's virtual IP by ARP (vSphere has no load balancer). */
final class KubeVip {

    static final String DEFAULT_VERSION = "v0.8.9";

    private KubeVip() {
    }

    /** Where the kubeconfig switch below is written on control-plane nodes. */
    static final String KUBECONFIG_SWITCH = "/etc/kube-vip-kubeconfig.sh";

    /**
     * Points the kube-vip static pod at {@code super-admin.conf} (argument {@code super-admin}) or back at
     * {@code admin.conf} ({@code admin}), on the node that runs {@code kubeadm init} only and from kubeadm 1.29 on:
     * since then {@code admin.conf} gets its rights only once the control plane is up, which kube-vip, holding the API
     * address, must precede (kube-vip issue 684). Joining nodes and older versions keep {@code admin.conf}.
     */
    static String kubeconfigSwitch() {
        return """
                #!/bin/bash
                set -euo pipefail
                target="${1:?usage: kube-vip-kubeconfig.sh admin|super-admin}"
                manifest="${KUBE_VIP_MANIFEST:-/etc/kubernetes/manifests/kube-vip.yaml}"
                # The init configuration Cluster API writes; joining nodes have a join configuration instead.
                init_configuration="${KUBEADM_INIT_CONFIGURATION:-/run/kubeadm/kubeadm.yaml}"
                minor="$(kubeadm version -o short | cut -d. -f2)"
                if [[ "$minor" -lt 29 || ! -f "$init_configuration" ]]; then
                  exit 0
                fi
                sed -E -i "s#^( *)path: /etc/kubernetes/(super-)?admin\\.conf#\\1path: /etc/kubernetes/${target}.conf#" "$manifest"
                """;
    }

    static String staticPod(String address, String version) {
        ObjectNode pod = Manifest.namespaced("v1", "Pod", "kube-system", "kube-vip", Map.of());
        ObjectNode spec = pod.putObject("spec");
        ObjectNode container = spec.putArray("containers").addObject();
        container.put("name", "kube-vip");
        container.put("image", "ghcr.io/kube-vip/kube-vip:" + version);
        container.putArray("args").add("manager");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("address", address);
        environment.put("port", "6443");
        environment.put("vip_arp", "true");
        environment.put("vip_cidr", "32");
        environment.put("cp_enable", "true");
        environment.put("cp_namespace", "kube-system");
        environment.put("vip_leaderelection", "true");
        ArrayNode variables = container.putArray("env");
        environment.forEach((name, value) -> variables.addObject().put("name", name).put("value", value));
        ArrayNode capabilities = container.putObject("securityContext").putObject("capabilities").putArray("add");
        capabilities.add("NET_ADMIN").add("NET_RAW");
        container.putArray("volumeMounts").addObject().put("name", "kubeconfig").put("mountPath", "/etc/kubernetes/admin.conf");
        spec.put("hostNetwork", true);
        spec.putArray("hostAliases").addObject().put("ip", "127.0.0.1").set("hostnames", Json.MAPPER.createArrayNode().add("kubernetes"));
        spec.putArray("volumes").addObject().put("name", "kubeconfig").putObject("hostPath")
                .put("path", "/etc/kubernetes/admin.conf").put("type", "FileOrCreate");
        return Yaml.write(pod);
    }
}
