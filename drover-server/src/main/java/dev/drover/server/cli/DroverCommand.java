package dev.drover.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drover} command line. Generic CRUD is kubectl's job; these commands are what kubectl cannot do. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = DroverCommand.Version.class,
        description = "Drover: a self-service Kubernetes fleet platform.",
        subcommands = {ServerCommand.class, UpCommand.class, TokenCommand.class, AuditCommand.class, IpamCommand.class, AddonCommand.class, AppCommand.class, ClusterCommand.class, CampaignCommand.class, CostCommand.class, VersionCommand.class, ShowConfigCommand.class})
public final class DroverCommand {

    private DroverCommand() {
    }

    public static void main(String[] arguments) {
        System.exit(commandLine().execute(arguments));
    }

    public static CommandLine commandLine() {
        CommandLine command = new CommandLine(new DroverCommand());
        for (String name : new String[] {"server", "up", "show-config"}) {
            ConfigOptions.addTo(command.getSubcommands().get(name));
        }
        command.setExecutionExceptionHandler((error, failed, parseResult) -> {
            failed.getErr().println("error: " + error.getMessage());
            return 1;
        });
        return command;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"drover " + dev.drover.server.server.DroverVersion.current()};
        }
    }
}
