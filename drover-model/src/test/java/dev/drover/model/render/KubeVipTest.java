package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kube-vip kubeconfig switch, run by bash against a rendered static pod and a stand-in kubeadm. */
class KubeVipTest {

    @TempDir
    Path node;

    private String run(String kubeadmVersion, boolean initNode, String target) throws IOException, InterruptedException {
        Path manifest = node.resolve("kube-vip.yaml");
        if (!Files.exists(manifest)) {
            Files.writeString(manifest, KubeVip.staticPod("10.20.0.40", KubeVip.DEFAULT_VERSION));
        }
        Path bin = Files.createDirectories(node.resolve("bin"));
        Path kubeadm = bin.resolve("kubeadm");
        Files.writeString(kubeadm, "#!/bin/bash\necho " + kubeadmVersion + "\n");
        Files.setPosixFilePermissions(kubeadm, PosixFilePermissions.fromString("rwx------"));
        Path init = node.resolve("kubeadm.yaml");
        if (initNode) {
            Files.writeString(init, "kind: InitConfiguration\n");
        } else {
            Files.deleteIfExists(init);
        }
        Path script = node.resolve("switch.sh");
        Files.writeString(script, KubeVip.kubeconfigSwitch());
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), target).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PATH", bin + ":" + System.getenv("PATH"), "KUBE_VIP_MANIFEST", manifest.toString(),
                "KUBEADM_INIT_CONFIGURATION", init.toString()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Files.readString(manifest);
    }

    @Test
    void theInitNodeOfKubeadm129OrLaterUsesSuperAdminConfDuringInitAndAdminConfAfter() throws Exception {
        String during = run("v1.31.4", true, "super-admin");
        assertThat(during).contains("path: /etc/kubernetes/super-admin.conf").contains("mountPath: /etc/kubernetes/admin.conf");

        assertThat(run("v1.31.4", true, "admin")).contains("path: /etc/kubernetes/admin.conf").doesNotContain("super-admin");
    }

    @Test
    void joiningNodesAndOlderVersionsKeepAdminConf() throws Exception {
        assertThat(run("v1.31.4", false, "super-admin")).doesNotContain("super-admin");
        assertThat(run("v1.28.9", true, "super-admin")).doesNotContain("super-admin");
    }
}
