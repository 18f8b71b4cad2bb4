package dev.drover.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code drover token create|list|revoke} against a running Drover, and the tokens used with kubectl. */
class TokenCommandIT {

    private static TestDrover drover;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void startDrover() {
        Kubectl.requireInstalled();
        drover = TestDrover.sharedWithExamples();
    }

    /** Runs the CLI in this JVM with its standard streams captured. */
    private static Run drover(String... arguments) {
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] withKubeconfig = java.util.stream.Stream.concat(java.util.Arrays.stream(arguments),
                    java.util.stream.Stream.of("--kubeconfig", drover.kubeconfig().toString())).toArray(String[]::new);
            int exitCode = DroverCommand.commandLine().execute(withKubeconfig);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
    }

    @Test
    void issuesListsAndRevokesATeamTokenThatKubectlUses() {
        Run created = drover("token", "create", "--team", "data-platform", "--description", "ci pipeline");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("drover_");
        String id = created.err().replaceAll("(?s).*Token (t-[0-9a-f]+).*", "$1");

        var kubectl = new Kubectl(drover.kubeconfig());
        assertThat(kubectl.run("--token", token, "get", "clusters", "-n", "data-platform", "-o", "name").succeeded().out())
                .contains("cluster.platform.drover.dev/lakehouse-prod");
        assertThat(kubectl.run("--token", token, "delete", "cluster", "payments-dev", "-n", "payments").err())
                .contains("Forbidden", "team \"data-platform\"", "cannot delete");

        Run listed = drover("token", "list");
        assertThat(listed.out()).containsPattern(id + "\\s+team data-platform\\s+\\S+\\s+ci pipeline").doesNotContain(token);

        assertThat(drover("token", "revoke", id).out()).contains("token " + id + " revoked");
        assertThat(kubectl.run("--token", token, "get", "clusters", "-n", "data-platform").err()).contains("Unauthorized");
        assertThat(drover("token", "revoke", id).err()).contains("token \"" + id + "\" not found");
    }

    @Test
    void refusesATokenForATeamThatDoesNotExist() {
        Run refused = drover("token", "create", "--team", "nobody");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("teams.platform.drover.dev \"nobody\" not found");
    }
}
