package dev.drover.server.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary against a Drover, with a discovery cache of its own. */
public final class Kubectl {

    /** What kubectl printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        public Result succeeded() {
            if (exitCode != 0) {
                fail("kubectl failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    private final Path kubeconfig;
    private final Path cacheDirectory;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.cacheDirectory = Files.createTempDirectory("kubectl-cache-");
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Fails the test with installation advice when kubectl is not on the PATH: nothing is skipped silently. */
    public static void requireInstalled() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "kubectl"))) {
                return;
            }
        }
        fail("kubectl is not on the PATH, and Drover's API tests drive the real kubectl. Install it, for example "
                + "with `apt-get install kubectl` from the Kubernetes package repository or by putting the kubectl binary "
                + "of https://kubernetes.io/docs/tasks/tools/ on the PATH, then run `make test` again.");
    }

    /** A kubectl left running (a watch), whose output can be read while it runs. */
    public final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;

        private Running(Process process, Path out) {
            this.process = process;
            this.out = out;
        }

        /** Waits until the output contains the text; fails the test after the timeout. */
        public String awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String output = output();
                if (output.contains(text)) {
                    return output;
                }
                Thread.sleep(100);
            }
            return fail("kubectl did not print \"" + text + "\" within " + timeout + "; it printed:\n" + output());
        }

        public String output() {
            try {
                return Files.readString(out);
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** Starts kubectl without waiting for it to end. */
    public Running start(String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDirectory.toString()));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("kubectl-watch-", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(true).start();
            return new Running(process, out);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    public Result run(String... arguments) {
        return run(null, Duration.ofSeconds(60), arguments);
    }

    public Result runWithInput(String input, String... arguments) {
        return run(input, Duration.ofSeconds(60), arguments);
    }

    /** Runs kubectl and stops it after the timeout (for watches); the result holds what it printed until then. */
    public Result run(String input, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDirectory.toString()));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("kubectl-out-", ".txt");
            Path err = Files.createTempFile("kubectl-err-", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            var result = new Result(exited ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
