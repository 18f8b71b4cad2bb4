package dev.drover.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
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
    void tokenCreateNeedsATeamOrAdmin() {
        Run run = run("token", "create");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--team", "--admin");
    }
}
