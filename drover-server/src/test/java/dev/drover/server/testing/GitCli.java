package dev.drover.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git command-line client, run as a real user would run it. */
public final class GitCli {

    public record Result(int exitCode, String output) {
        public Result succeeded() {
            if (exitCode != 0) {
                throw new AssertionError("git failed with exit code " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private GitCli() {
    }

    public static Result run(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("git " + arguments[0] + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException missing) {
            throw new UncheckedIOException("git is needed by this test; install git and put it on the PATH", missing);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
