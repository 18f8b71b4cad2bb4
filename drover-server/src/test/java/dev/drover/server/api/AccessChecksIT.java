package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.server.testing.DroverCli;
import dev.drover.server.testing.Kubectl;
import dev.drover.server.testing.TestDrover;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl auth can-i}, {@code can-i --list}, {@code auth whoami} and {@code --as} answer as Drover authorizes,
 * for the admin token and for a team token; and the version kubectl sees.
 */
class AccessChecksIT {

    private static TestDrover drover;
    private static Kubectl kubectl;
    private static String searchToken;

    @BeforeAll
    static void startDrover() {
        Kubectl.requireInstalled();
        drover = TestDrover.sharedWithExamples();
        kubectl = new Kubectl(drover.kubeconfig());
        DroverCli.Run created = DroverCli.run(drover.kubeconfig(), "token", "create", "--team", "search", "--description", "can-i");
        assertThat(created.exitCode()).as(created.err()).isZero();
        searchToken = created.out().strip();
    }

    @Test
    void canIAnswersForTheAdminAndForATeamTokenAsRequestsAreAuthorized() {
        assertThat(kubectl.run("auth", "can-i", "delete", "clusterflavors").out().strip()).isEqualTo("yes");
        assertThat(canI("create", "clusters", "-n", "search")).isEqualTo("yes");
        assertThat(canI("create", "clusters", "-n", "payments")).startsWith("no").contains("team tokens may only use the namespace");
        assertThat(canI("get", "clusterflavors")).isEqualTo("yes");
        assertThat(canI("patch", "clusterflavors")).startsWith("no");
        assertThat(canI("get", "teams/search")).isEqualTo("yes");
        assertThat(canI("get", "teams/payments")).startsWith("no");
        assertThat(canI("get", "namespaces/search")).isEqualTo("yes");

        Kubectl.Result refused = kubectl.run("--token", searchToken, "auth", "can-i", "create", "clusters", "-n", "payments",
                "--quiet");
        assertThat(refused.exitCode()).as("can-i --quiet exits 1 for no").isEqualTo(1);
    }

    @Test
    void canIListShowsTheTeamsRules() {
        String rules = kubectl.run("--token", searchToken, "auth", "can-i", "--list", "-n", "search").succeeded().out();

        assertThat(rules).containsPattern("clusters\\.platform\\.drover\\.dev\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch create update patch delete deletecollection\\]")
                .containsPattern("clusterflavors\\.platform\\.drover\\.dev\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]")
                .containsPattern("teams\\.platform\\.drover\\.dev\\s+\\[\\]\\s+\\[search\\]\\s+\\[get\\]");
        assertThat(kubectl.run("--token", searchToken, "auth", "can-i", "--list", "-n", "payments").succeeded().out())
                .doesNotContain("clusters.platform.drover.dev");
    }

    @Test
    void statusIsWrittenOnlyByDroverAndAdmins() {
        Kubectl.Result forged = kubectl.run("--token", searchToken, "patch", "cluster", "search-dev", "-n", "search",
                "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Ready\"}}");
        assertThat(forged.exitCode()).isNotZero();
        assertThat(forged.err()).contains("Forbidden", "status is written only by Drover's controllers and platform admins");

        assertThat(canI("patch", "clusters", "--subresource=status", "-n", "search")).startsWith("no");
        assertThat(canI("get", "clusters", "--subresource=status", "-n", "search")).isEqualTo("yes");
        assertThat(canI("patch", "clusters", "-n", "search")).isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "patch", "clusters", "--subresource=status", "-n", "search").out().strip())
                .isEqualTo("yes");
        assertThat(kubectl.run("get", "cluster", "search-dev", "-n", "search", "-o", "jsonpath={.status.phase}").succeeded().out())
                .isNotEqualTo("Ready");
    }

    @Test
    void whoamiNamesTheTokenAndItsTeam() {
        assertThat(kubectl.run("--token", searchToken, "auth", "whoami").succeeded().out())
                .containsPattern("Username\\s+drover:team:search:t-").contains("drover:team:search");
        assertThat(kubectl.run("auth", "whoami").succeeded().out()).contains("drover:admin:", "drover:platform-admins");
    }

    @Test
    void impersonationIsRefusedNotIgnored() {
        Kubectl.Result impersonated = kubectl.run("--as", "someone", "get", "clusters", "-n", "search");

        assertThat(impersonated.exitCode()).isNotZero();
        assertThat(impersonated.err()).contains("Forbidden", "impersonation", "not supported");
    }

    @Test
    void kubectlVersionSeesAKubernetesApiLevelWithoutASkewWarning() {
        Kubectl.Result version = kubectl.run("version");

        assertThat(version.succeeded().out()).containsPattern("Server Version: v1\\.\\d+\\.\\d+\\+drover\\.");
        assertThat(version.err()).doesNotContain("WARNING");
    }

    private static String canI(String... arguments) {
        String[] command = new String[arguments.length + 4];
        command[0] = "--token";
        command[1] = searchToken;
        command[2] = "auth";
        command[3] = "can-i";
        System.arraycopy(arguments, 0, command, 4, arguments.length);
        return kubectl.run(command).out().strip();
    }
}
