package dev.drover.server.cli;

import picocli.CommandLine.Command;

/** {@code drover up}: the server on embedded defaults, with the example organisation on first start. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Run Drover on its embedded defaults and load the example organisation on first start.")
final class UpCommand extends ServerCommand {

    @Override
    boolean loadExamples() {
        return true;
    }
}
