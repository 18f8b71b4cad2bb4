package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ipam", mixinStandardHelpOptions = true, description = "Drover's IP pools: who holds which address.",
        subcommands = {IpamCommand.Report.class, IpamCommand.History.class})
final class IpamCommand {

    enum Output { table, json }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "List the held addresses of the IPPools, "
            + "by pool and address: the team, cluster, machine and claim of each.")
    static final class Report implements Callable<Integer> {

        @Option(names = "--pool", description = "Only this IPPool's addresses.")
        String pool;

        @Option(names = "--team", description = "Only this team's (a team token sees its own team's only).")
        String team;

        @Option(names = "--cluster", description = "Only this cluster's.")
        String cluster;

        @Option(names = "--released", description = "Also the released addresses (resting, or free since).")
        boolean released;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: table).")
        Output output;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/drover/v1/ipam/allocations?released=").append(released);
            AuditCommand.appendParameter(path, "pool", pool);
            AuditCommand.appendParameter(path, "team", team);
            AuditCommand.appendParameter(path, "cluster", cluster);
            var answer = connection.send("GET", path.toString(), null, 200);
            if (answer.isEmpty()) {
                return 1;
            }
            if (output == Output.json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer.get()));
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode item : answer.get().path("items")) {
                rows.add(List.of(item.path("pool").asText(), item.path("address").asText(), item.path("team").asText("-"),
                        item.path("cluster").asText("-"), item.path("machine").asText("-"), item.path("claim").asText(),
                        item.path("allocatedAt").asText(), item.path("releasedAt").asText("-")));
            }
            TablePrinter.print(System.out, List.of("POOL", "ADDRESS", "TEAM", "CLUSTER", "MACHINE", "CLAIM", "ALLOCATED",
                    "RELEASED"), TablePrinter.Align.LEFT, rows);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every allocation and release of one address, "
            + "oldest first (platform admins).")
    static final class History implements Callable<Integer> {

        @Option(names = "--pool", required = true, description = "The IPPool.")
        String pool;

        @Option(names = "--address", required = true, description = "The address, for example 10.20.8.16.")
        String address;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/drover/v1/ipam/history?");
            AuditCommand.appendParameter(path, "pool", pool);
            AuditCommand.appendParameter(path, "address", address);
            var answer = connection.send("GET", path.toString().replace("?&", "?"), null, 200);
            if (answer.isEmpty()) {
                return 1;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode item : answer.get().path("items")) {
                rows.add(List.of(item.path("at").asText(), item.path("action").asText(), item.path("team").asText("-"),
                        item.path("cluster").asText("-"), item.path("machine").asText("-"), item.path("claim").asText(),
                        item.path("claimUid").asText()));
            }
            TablePrinter.print(System.out, List.of("TIME", "ACTION", "TEAM", "CLUSTER", "MACHINE", "CLAIM", "CLAIM UID"),
                    TablePrinter.Align.LEFT, rows);
            return 0;
        }
    }
}
