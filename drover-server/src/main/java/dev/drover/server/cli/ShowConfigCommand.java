package dev.drover.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show-config", mixinStandardHelpOptions = true, description = "Print every setting, its value (secrets masked) and where it came from.")
final class ShowConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(ConfigOptions.resolve(spec).describe());
        return 0;
    }
}
