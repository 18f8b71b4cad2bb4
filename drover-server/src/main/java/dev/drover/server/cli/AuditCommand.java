package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the audit log, newest first: every write and "
        + "every refusal, who made it, from where (platform admins).")
final class AuditCommand implements Callable<Integer> {

    enum Output { table, json }

    @Option(names = "--team", description = "Only what tokens of this team did.")
    String team;

    @Option(names = "--user", description = "Only what this token id (t-…) or OIDC subject did.")
    String user;

    @Option(names = "--since", description = "Only entries since then: a duration back (30m, 2h, 7d) or a time (2026-12-01T09:00:00Z).")
    String since;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many entries (default: 100).")
    int limit;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: table).")
    Output output;

    @Mixin
    ApiConnection connection;

    @Override
    public Integer call() throws Exception {
        StringBuilder path = new StringBuilder("/drover/v1/audit?limit=").append(limit);
        appendParameter(path, "team", team);
        appendParameter(path, "user", user);
        appendParameter(path, "since", since);
        var answer = connection.send("GET", path.toString(), null, 200);
        if (answer.isEmpty()) {
            return 1;
        }
        if (output == Output.json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer.get()));
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode entry : answer.get().path("items")) {
            String object = entry.path("kind").asText("") + (entry.has("name") ? "/" + entry.path("name").asText() : "");
            rows.add(List.of(entry.path("time").asText(), entry.path("actor").asText(), entry.path("team").asText("-"),
                    entry.path("verb").asText(), entry.path("namespace").asText("-"), object.isEmpty() ? "-" : object,
                    entry.path("code").asText(), entry.path("source").asText("-"), entry.path("message").asText("")));
        }
        TablePrinter.print(System.out, List.of("TIME", "ACTOR", "TEAM", "VERB", "NAMESPACE", "OBJECT", "CODE", "SOURCE",
                "MESSAGE"), TablePrinter.Align.LEFT, rows);
        return 0;
    }

    static void appendParameter(StringBuilder path, String name, String value) {
        if (value != null && !value.isEmpty()) {
            path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
