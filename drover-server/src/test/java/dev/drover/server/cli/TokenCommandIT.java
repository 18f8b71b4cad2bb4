package dev.drover.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code drover token create|list|revoke} against a running Drover, and the tokens used with kubectl. */
class TokenCommandIT {

    private static TestDrover drover;

    @BeforeAll
    static void startDrover() {
        Kubectl.requireInstalled();
        drover = TestDrover.sharedWithExamples();
    }

    private static DroverCli.Run drover(String... arguments) {
        return DroverCli.run(drover.kubeconfig(), arguments);
    }

    @Test
    void issuesListsAndRevokesATeamTokenThatKubectlUses() {
        DroverCli.Run created = drover("token", "create", "--team", "data-platform", "--description", "ci pipeline");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("drover_");
        String id = created.err().replaceAll("(?s).*Token (t-[0-9a-f]+).*", "$1");

        var kubectl = new Kubectl(drover.kubeconfig());
        assertThat(kubectl.run("--token", token, "get", "clusters", "-n", "data-platform", "-o", "name").succeeded().out())
                .contains("cluster.platform.drover.dev/lakehouse-prod");
        assertThat(kubectl.run("--token", token, "delete", "cluster", "payments-dev", "-n", "payments").err())
                .contains("Forbidden", "team \"data-platform\"", "cannot delete");

        DroverCli.Run listed = drover("token", "list");
        assertThat(listed.out()).containsPattern(id + "\\s+team data-platform\\s+\\S+\\s+ci pipeline").doesNotContain(token);

        assertThat(drover("token", "revoke", id).out()).contains("token " + id + " revoked");
        assertThat(kubectl.run("--token", token, "get", "clusters", "-n", "data-platform").err()).contains("Unauthorized");
        assertThat(drover("token", "revoke", id).err()).contains("token \"" + id + "\" not found");
    }

    @Test
    void refusesATokenForATeamThatDoesNotExist() {
        DroverCli.Run refused = drover("token", "create", "--team", "nobody");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("teams.platform.drover.dev \"nobody\" not found");
    }
}
