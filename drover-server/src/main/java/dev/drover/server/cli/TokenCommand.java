package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens (platform admins).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

    private static final String PATH = "/drover/v1/tokens";

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a token through the running server. "
            + "The token is printed once; Drover keeps only its hash.")
    static final class Create implements Callable<Integer> {

        static final class Scope {
            @Option(names = "--team", description = "Team the token acts for: read/write its Clusters, read flavors and its Team.")
            String team;

            @Option(names = "--admin", description = "A platform-admin token (everything).")
            boolean admin;

            @Option(names = "--fleet-reader", description = "A token that may only clone and fetch the fleet repository, "
                    + "for Flux or Argo CD; it cannot use the API.")
            boolean fleetReader;
        }

        @ArgGroup(multiplicity = "1")
        Scope scope;

        @Option(names = "--description", description = "What the token is for.", defaultValue = "")
        String description;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            ObjectNode request = Json.MAPPER.createObjectNode();
            if (scope.admin) {
                request.put("admin", true);
            } else if (scope.fleetReader) {
                request.put("fleetReader", true);
            } else {
                request.put("team", scope.team);
            }
            request.put("description", description);
            var answer = connection.send("POST", PATH, Json.write(request), 201);
            if (answer.isEmpty()) {
                return 1;
            }
            System.err.println("Token " + answer.get().path("id").asText() + (scope.admin ? " (platform admin)"
                    : scope.fleetReader ? " (fleet reader: clone and fetch the fleet repository)" : " for team " + scope.team)
                    + " — shown once, store it now:");
            System.out.println(answer.get().path("token").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (ids, teams, descriptions; never secrets).")
    static final class ListTokens implements Callable<Integer> {

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            var answer = connection.send("GET", PATH, null, 200);
            if (answer.isEmpty()) {
                return 1;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode token : answer.get().path("items")) {
                String scope = token.path("team").isTextual() ? "team " + token.path("team").asText()
                        : token.path("scope").asText("platform-admin");
                rows.add(List.of(token.path("id").asText(), scope, token.path("createdAt").asText(),
                        token.path("description").asText()));
            }
            TablePrinter.print(System.out, List.of("ID", "SCOPE", "CREATED", "DESCRIPTION"), TablePrinter.Align.LEFT, rows);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id; it stops working at once.")
    static final class Revoke implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The token's id, as `drover token list` shows it.")
        String id;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            if (connection.send("DELETE", PATH + "/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8),
                    null, 200).isEmpty()) {
                return 1;
            }
            System.out.println("token " + id + " revoked");
            return 0;
        }
    }
}
