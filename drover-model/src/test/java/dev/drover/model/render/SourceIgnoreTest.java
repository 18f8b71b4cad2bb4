package dev.drover.model.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ignore rules keep exactly the chosen paths, as the git CLI itself reads gitignore rules. */
class SourceIgnoreTest {

    @Test
    void gitKeepsOnlyTheChosenDirectoryAndFilesBelowExcludedParents(@TempDir Path repository) throws Exception {
        for (String file : List.of("README.md", "clusters/search/kind-sandbox/kustomization.yaml",
                "clusters/search/kind-sandbox/tenancy/rbac.yaml", "clusters/search/other/kustomization.yaml",
                "clusters/payments/checkout/kustomization.yaml", "manifests/vanilla/vsphere-csi-driver.yaml",
                "manifests/vanilla/validatingwebhook.yaml", "manifests/vanilla/namespace.yaml", "manifests/other.yaml")) {
            Path path = repository.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "kind: ConfigMap\n");
        }
        Path rules = repository.resolve("../rules").normalize();
        Files.writeString(rules, SourceIgnore.keepOnly(List.of("clusters/search/kind-sandbox/",
                "manifests/vanilla/vsphere-csi-driver.yaml", "manifests/vanilla/namespace.yaml")));

        assertThat(keptBy(repository, rules)).containsExactlyInAnyOrder("clusters/search/kind-sandbox/kustomization.yaml",
                "clusters/search/kind-sandbox/tenancy/rbac.yaml", "manifests/vanilla/namespace.yaml",
                "manifests/vanilla/vsphere-csi-driver.yaml");
    }

    @Test
    void aFileAtTheTopKeepsNothingElse() {
        assertThat(SourceIgnore.keepOnly(List.of("deploy.yaml"))).isEqualTo("/*\n!/deploy.yaml\n");
    }

    /** The untracked files git does not ignore under the rules. */
    private static List<String> keptBy(Path repository, Path rules) throws IOException, InterruptedException {
        run(repository, "git", "init", "-q");
        Process listing = new ProcessBuilder("git", "ls-files", "--others", "--exclude-from=" + rules)
                .directory(repository.toFile()).redirectErrorStream(true).start();
        String output = new String(listing.getInputStream().readAllBytes());
        assertThat(listing.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(listing.exitValue()).as(output).isZero();
        return Arrays.stream(output.split("\n")).filter(line -> !line.isBlank()).toList();
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
