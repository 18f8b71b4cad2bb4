package dev.drover.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DroverCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... arguments) {
        CommandLine command = DroverCommand.commandLine();
        var out = new StringWriter();
        var err = new StringWriter();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exitCode = command.execute(arguments);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSubcommandsAndEveryOptionWithItsEnvironmentVariable() {
        assertThat(run("--help").out()).contains("server", "up", "token", "version", "show-config");
        assertThat(run("server", "--help").out()).contains("--data-dir", "DROVER_DATA_DIR", "--database-url",
                "DROVER_DATABASE_URL", "--port", "Default: 7480");
    }

    @Test
    void refusesAnInvalidOptionWithAClearMessage() {
        Run run = run("show-config", "--port", "abc");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--port (DROVER_PORT) is \"abc\"; it must be a whole number");
    }

    @Test
    void everyOptionIsCheckedBeforeAnythingStarts() {
        Run port = run("show-config", "--port", "99999");
        assertThat(port.exitCode()).isEqualTo(1);
        assertThat(port.err()).contains("--port (DROVER_PORT) is 99999; a port is 0 (any free port) to 65535");
        Run gitPort = run("show-config", "--git-port", "abc");
        assertThat(gitPort.exitCode()).isEqualTo(1);
        assertThat(gitPort.err()).contains("--git-port (DROVER_GIT_PORT) is \"abc\"; it must be a whole number");
        assertThat(run("show-config", "--database-pool-size", "0").err()).contains("it must be at least 1");
    }

    @Test
    void everyHelpPrintsWithoutAFormatWarning() {
        // picocli reports a description it cannot format on System.err, not on the command's writers.
        PrintStream standardError = System.err;
        var tracer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(tracer, true, StandardCharsets.UTF_8));
        try {
            for (String[] command : new String[][] {{"cost", "--help"}, {"cost", "whatif", "--help"},
                    {"addon", "promote", "--help"}, {"token", "create", "--help"}, {"up", "--help"}}) {
                Run help = run(command);
                assertThat(help.exitCode()).as(String.join(" ", command)).isZero();
                assertThat(help.out() + help.err()).as(String.join(" ", command)).doesNotContain("WARN", "Exception");
            }
        } finally {
            System.setErr(standardError);
        }
        assertThat(tracer.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(run("cost", "whatif", "--help").out()).contains("70 % spot");
    }

    @Test
    void tokenCreateNeedsATeamOrAdmin() {
        Run run = run("token", "create");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--team", "--admin");
    }
}
