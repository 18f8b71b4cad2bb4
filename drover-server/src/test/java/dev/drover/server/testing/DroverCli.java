package dev.drover.server.testing;

import dev.drover.server.cli.DroverCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Runs the {@code drover} command line in this JVM against a kubeconfig, with its standard streams captured. */
public final class DroverCli {

    public record Run(int exitCode, String out, String err) {
    }

    private DroverCli() {
    }

    /** A new token of the team, issued through the CLI as an admin would; fails the test when it cannot be. */
    public static String teamToken(Path kubeconfig, String team) {
        Run created = run(kubeconfig, "token", "create", "--team", team, "--description", "test");
        if (created.exitCode() != 0) {
            throw new AssertionError("drover token create --team " + team + " failed: " + created.err());
        }
        return created.out().strip();
    }

    public static synchronized Run run(Path kubeconfig, String... arguments) {
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] withKubeconfig = Stream.concat(Arrays.stream(arguments), Stream.of("--kubeconfig", kubeconfig.toString()))
                    .toArray(String[]::new);
            int exitCode = DroverCommand.commandLine().execute(withKubeconfig);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
    }
}
