package dev.drover.server.cli;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Adds every option of the {@link Option} table to a command, and resolves them after parsing. */
final class ConfigOptions {

    private static final String CONFIG_FILE = "--config";

    private ConfigOptions() {
    }

    static void addTo(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        for (Option option : Option.values()) {
            spec.addOption(OptionSpec.builder("--" + option.key())
                    .paramLabel(option.secret() ? "<secret>" : "<" + option.key() + ">")
                    .type(String.class)
                    .description(option.description() + " Env: " + option.environmentVariable() + ". Default: "
                            + (option.defaultValue().isEmpty() ? "\"\"" : option.defaultValue()) + ".")
                    .build());
        }
        spec.addOption(OptionSpec.builder(CONFIG_FILE).paramLabel("<file>").type(String.class)
                .description("A key=value file of these options (keys without --). Env: DROVER_CONFIG.").build());
    }

    static Configuration resolve(CommandSpec spec) {
        Map<Option, String> flags = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            OptionSpec given = spec.findOption("--" + option.key());
            if (given != null && given.getValue() != null) {
                flags.put(option, given.getValue());
            }
        }
        String configFile = spec.findOption(CONFIG_FILE).getValue();
        if (configFile == null) {
            configFile = System.getenv("DROVER_CONFIG");
        }
        return Configuration.resolve(flags, System.getenv(), Optional.ofNullable(configFile).map(Path::of));
    }
}
