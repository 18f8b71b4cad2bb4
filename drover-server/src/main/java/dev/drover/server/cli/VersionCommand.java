package dev.drover.server.cli;

import dev.drover.server.server.DroverVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print Drover's version.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("drover " + DroverVersion.current() + " (Java " + Runtime.version() + ")");
        return 0;
    }
}
