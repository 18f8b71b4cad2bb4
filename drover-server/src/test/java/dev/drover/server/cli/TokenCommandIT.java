package dev.drover.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code drover token create} against a running Drover, and the token it prints used with kubectl. */
class TokenCommandIT {

    @Test
    void issuesATeamTokenThatKubectlCanUse() {
        Kubectl.requireInstalled();
        TestDrover drover = TestDrover.sharedWithExamples();
        CommandLine command = DroverCommand.commandLine();
        var err = new StringWriter();
        command.setErr(new PrintWriter(err));
        var out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        int exitCode;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            exitCode = command.execute("token", "create", "--team", "data-platform", "--description", "ci",
                    "--kubeconfig", drover.kubeconfig().toString());
        } finally {
            System.setOut(previous);
        }
        assertThat(exitCode).as(err.toString()).isZero();
        String token = out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(token).startsWith("drover_");

        var kubectl = new Kubectl(drover.kubeconfig());
        assertThat(kubectl.run("--token", token, "get", "clusters", "-n", "data-platform", "-o", "name").succeeded().out())
                .contains("cluster.platform.drover.dev/lakehouse-prod");
        Kubectl.Result refused = kubectl.run("--token", token, "delete", "cluster", "payments-dev", "-n", "payments");
        assertThat(refused.err()).contains("Forbidden", "team \"data-platform\"", "cannot delete");
    }

    @Test
    void refusesATokenForATeamThatDoesNotExist() {
        TestDrover drover = TestDrover.sharedWithExamples();
        CommandLine command = DroverCommand.commandLine();
        java.io.PrintStream previous = System.err;
        var err = new java.io.ByteArrayOutputStream();
        int exitCode;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            exitCode = command.execute("token", "create", "--team", "nobody", "--kubeconfig", drover.kubeconfig().toString());
        } finally {
            System.setErr(previous);
        }
        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("teams.platform.drover.dev \"nobody\" not found");
    }
}
