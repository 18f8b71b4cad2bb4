package dev.drover.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A management cluster for tests: the real kube-apiserver and etcd of {@code shared/testenv} beside the repository,
 * with the upstream CRDs of {@code shared/crds} installed (or without them, as a workload cluster's API). Tests play Cluster API and Flux by writing the statuses
 * those controllers would write. Without {@code shared} the test is skipped with a message (CI requires it).
 */
public final class ManagementTestEnv implements AutoCloseable {

    private final Path testenv;
    private final TemporaryDirectory directory;
    private final Path kubeconfig;

    private ManagementTestEnv(Path testenv, TemporaryDirectory directory, Path kubeconfig) {
        this.testenv = testenv;
        this.directory = directory;
        this.kubeconfig = kubeconfig;
    }

    /** A management cluster: the API server with the upstream CRDs. */
    public static ManagementTestEnv startOrSkip() {
        return startOrSkip(Optional.of(List.of()));
    }

    /**
     * A management cluster with some providers only: the CRDs of the named directories of {@code shared/crds} (for
     * example {@code cluster-api}, {@code capd}, {@code flux}), as a kind cluster after {@code clusterctl init} has them.
     */
    public static ManagementTestEnv startWithOrSkip(List<String> crdDirectories) {
        return startOrSkip(Optional.of(crdDirectories));
    }

    /** A workload cluster's API: the API server alone. */
    public static ManagementTestEnv startWorkloadOrSkip() {
        return startOrSkip(Optional.empty());
    }

    /** @param crdDirectories no CRDs when empty, all of them when an empty list, else those directories' */
    private static ManagementTestEnv startOrSkip(Optional<List<String>> crdDirectories) {
        Path module = Path.of("").toAbsolutePath();
        Path shared = (Files.isDirectory(module.resolve("drover-server")) ? module : module.getParent()).resolveSibling("shared");
        Path testenv = shared.resolve("testenv");
        if (!Files.isExecutable(testenv.resolve("start")) || !Files.isDirectory(shared.resolve("crds"))) {
            String message = "shared/testenv and shared/crds are not beside the repository; the tests against a real "
                    + "management cluster API are skipped";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + ", which CI does not allow");
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        TemporaryDirectory directory = new TemporaryDirectory("drover-testenv-");
        try {
            List<String> command = new ArrayList<>(List.of("bash", testenv.resolve("start").toString(), directory.path().toString()));
            if (crdDirectories.isPresent()) {
                command.addAll(List.of("--crds", crdDirectory(shared.resolve("crds"), crdDirectories.get(), directory.path()).toString()));
            }
            Process start = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(directory.path().resolve("start.log").toFile()).start();
            if (!start.waitFor(240, TimeUnit.SECONDS) || start.exitValue() != 0) {
                start.destroyForcibly();
                throw new IllegalStateException("the testenv did not start: " + Files.readString(directory.path().resolve("start.log")));
            }
            return new ManagementTestEnv(testenv, directory, directory.path().resolve("kubeconfig"));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** The CRD files of the chosen directories, linked one by one (the start script's find does not follow linked folders). */
    private static Path crdDirectory(Path crds, List<String> chosen, Path work) throws IOException {
        if (chosen.isEmpty()) {
            return crds;
        }
        Path subset = Files.createDirectories(work.resolve("crds"));
        for (String name : chosen) {
            try (var files = Files.list(crds.resolve(name))) {
                for (Path file : files.toList()) {
                    Files.createSymbolicLink(subset.resolve(name + "-" + file.getFileName()), file);
                }
            }
        }
        return subset;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** kubectl against the management cluster. */
    public Kubectl kubectl() {
        return new Kubectl(kubeconfig);
    }

    /** Stops kube-apiserver and etcd: the management cluster stops answering. */
    public void stop() {
        try {
            new ProcessBuilder("bash", testenv.resolve("stop").toString(), directory.path().toString()).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        directory.close();
    }
}
