package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.resource.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.", subcommands = TokenCommand.Create.class)
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a token through the running server (needs a platform-admin kubeconfig). "
            + "The token is printed once; Drover keeps only its hash.")
    static final class Create implements Callable<Integer> {

        static final class Scope {
            @Option(names = "--team", description = "Team the token acts for: read/write its Clusters, read flavors and its Team.")
            String team;

            @Option(names = "--admin", description = "A platform-admin token (everything).")
            boolean admin;
        }

        @ArgGroup(multiplicity = "1")
        Scope scope;

        @Option(names = "--description", description = "What the token is for.", defaultValue = "")
        String description;

        @Option(names = "--kubeconfig", description = "Kubeconfig of a platform admin. Default: $KUBECONFIG, else ./.drover/kubeconfig.")
        Path kubeconfig;

        @Override
        public Integer call() throws Exception {
            ClientConfig client = ClientConfig.load(kubeconfig);
            ObjectNode request = Json.MAPPER.createObjectNode();
            if (scope.admin) {
                request.put("admin", true);
            } else {
                request.put("team", scope.team);
            }
            request.put("description", description);
            HttpResponse<String> response = client.httpClient().send(HttpRequest.newBuilder(
                            java.net.URI.create(client.server() + "/drover/v1/tokens"))
                    .header("Authorization", "Bearer " + client.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 201) {
                System.err.println("error: " + body.path("message").asText(response.body()));
                return 1;
            }
            System.err.println("Token " + body.path("id").asText() + (scope.admin ? " (platform admin)"
                    : " for team " + scope.team) + " — shown once, store it now:");
            System.out.println(body.path("token").asText());
            return 0;
        }
    }
}
