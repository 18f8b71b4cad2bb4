package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "app", mixinStandardHelpOptions = true, description = "Work with a team's Applications: images, promotion, "
        + "scans, the canary and the scaffold.",
        subcommands = {AppCommand.SetImage.class, AppCommand.Promote.class, AppCommand.ScanResult.class, AppCommand.Canary.class,
                AppCommand.ScaffoldFiles.class})
final class AppCommand {

    /** The Application a command names, and how to reach it. */
    static final class Target {

        @Parameters(index = "0", paramLabel = "APP", description = "The Application.")
        String name;

        @Option(names = {"-n", "--namespace"}, required = true, description = "The team (the Application's namespace).")
        String team;

        String path(String subresource) {
            return "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/namespaces/" + URLEncoder.encode(team, StandardCharsets.UTF_8)
                    + "/applications/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + (subresource.isEmpty() ? "" : "/" + subresource);
        }
    }

    @Command(name = "set-image", mixinStandardHelpOptions = true, description = "Change only the image, of every environment "
            + "without one of its own or of one environment; every other setting stays. Through the environment's scan gate.")
    static final class SetImage implements Callable<Integer> {

        @Mixin
        Target target;

        @Parameters(index = "1", paramLabel = "IMAGE", description = "The image, pinned by digest where a scan gate applies.")
        String image;

        @Option(names = "--environment", description = "Only this environment's image.")
        String environment;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            Optional<JsonNode> current = connection.send("GET", target.path(""), null, 200);
            if (current.isEmpty()) {
                return 1;
            }
            // A JSON patch with a test of what it replaces: a concurrent change of the environments fails, never merges.
            ArrayNode patch = Json.MAPPER.createArrayNode();
            if (environment == null) {
                patch.addObject().put("op", "replace").put("path", "/spec/image").put("value", image);
            } else {
                JsonNode environments = current.get().path("spec").path("environments");
                int index = -1;
                for (int candidate = 0; candidate < environments.size(); candidate++) {
                    if (environments.get(candidate).path("name").asText().equals(environment)) {
                        index = candidate;
                    }
                }
                if (index < 0) {
                    System.err.println("error: application " + target.name + " has no environment " + environment);
                    return 1;
                }
                patch.addObject().put("op", "test").put("path", "/spec/environments/" + index + "/name").put("value", environment);
                patch.addObject().put("op", "add").put("path", "/spec/environments/" + index + "/image").put("value", image);
            }
            var answer = connection.send("PATCH", target.path(""), Json.write(patch), "application/json-patch+json", 200);
            if (answer.isEmpty()) {
                return 1;
            }
            System.out.println("application/" + target.name + ": " + (environment == null ? "image" : environment) + " -> " + image);
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Give one environment the image another runs. "
            + "Refused while the source environment is not observed healthy at that image, and by the target's scan gate.")
    static final class Promote implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--from", required = true, description = "The environment whose image is promoted.")
        String from;

        @Option(names = "--to", required = true, description = "The environment that gets it.")
        String to;

        @Option(names = "--force", description = "Promote without checking the source environment's health (the scan gate "
                + "still applies).")
        boolean force;

        @Option(names = "--dry-run", description = "Show what would change without changing it.")
        boolean dryRun;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            ObjectNode request = Json.MAPPER.createObjectNode().put("from", from).put("to", to).put("force", force);
            var answer = connection.send("POST", target.path("promote") + (dryRun ? "?dryRun=All" : ""), Json.write(request), 200);
            if (answer.isEmpty()) {
                return 1;
            }
            String image = answer.get().path("spec").path("image").asText();
            for (JsonNode environment : answer.get().path("spec").path("environments")) {
                if (environment.path("name").asText().equals(to)) {
                    image = environment.path("image").asText(image);
                }
            }
            System.out.println("application/" + target.name + ": " + to + " -> " + image + (dryRun ? " (dry run)" : ""));
            return 0;
        }
    }

    @Command(name = "scan-result", mixinStandardHelpOptions = true, description = "Report a Trivy scan (trivy image --format "
            + "json) of an image digest, which the Application's scan gates read.")
    static final class ScanResult implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--image", required = true, description = "The scanned image, by digest (…@sha256:…).")
        String image;

        @Option(names = "--file", required = true, description = "Trivy's JSON report.")
        Path file;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("image", image);
            body.set("report", essentials(Json.MAPPER.readTree(Files.readString(file))));
            var answer = connection.send("POST", target.path("scan"), Json.write(body), 201);
            if (answer.isEmpty()) {
                return 1;
            }
            System.out.println(image + ": " + answer.get().path("summary").asText());
            int blocked = 0;
            for (JsonNode environment : answer.get().path("environments")) {
                System.out.println("  " + environment.path("name").asText() + ": " + environment.path("verdict").asText()
                        + (environment.has("blocking") ? " (" + environment.path("blocking").asText() + ")" : ""));
                blocked += environment.path("verdict").asText().equals("blocked") ? 1 : 0;
            }
            return blocked == 0 ? 0 : 3;
        }

        /** Only what Drover reads of a report: descriptions and references make real reports megabytes long. */
        static JsonNode essentials(JsonNode report) {
            ObjectNode kept = Json.MAPPER.createObjectNode();
            for (String field : java.util.List.of("SchemaVersion", "ArtifactName", "ArtifactType")) {
                if (report.has(field)) {
                    kept.set(field, report.get(field));
                }
            }
            if (report.path("Metadata").has("RepoDigests")) {
                kept.putObject("Metadata").set("RepoDigests", report.path("Metadata").get("RepoDigests"));
            }
            ArrayNode results = kept.putArray("Results");
            for (JsonNode result : report.path("Results")) {
                ObjectNode keptResult = results.addObject();
                keptResult.put("Target", result.path("Target").asText(""));
                ArrayNode vulnerabilities = keptResult.putArray("Vulnerabilities");
                for (JsonNode vulnerability : result.path("Vulnerabilities")) {
                    ObjectNode keptVulnerability = vulnerabilities.addObject();
                    for (String field : java.util.List.of("VulnerabilityID", "PkgName", "InstalledVersion", "FixedVersion",
                            "Severity", "Title")) {
                        if (vulnerability.has(field)) {
                            keptVulnerability.set(field, vulnerability.get(field));
                        }
                    }
                }
            }
            return kept;
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true, description = "Pause, resume or abort the Application's canary.",
            subcommands = {Canary.Pause.class, Canary.Resume.class, Canary.Abort.class})
    static final class Canary {

        /** Sets spec.delivery.canary.state; the application controller follows it. */
        abstract static class StateChange implements Callable<Integer> {

            @Mixin
            Target target;

            @Mixin
            ApiConnection connection;

            abstract String state();

            @Override
            public Integer call() throws Exception {
                ObjectNode patch = Json.MAPPER.createObjectNode();
                patch.putObject("spec").putObject("delivery").putObject("canary").put("state", state());
                var answer = connection.send("PATCH", target.path(""), Json.write(patch), "application/merge-patch+json", 200);
                if (answer.isEmpty()) {
                    return 1;
                }
                System.out.println("application/" + target.name + ": canary " + state());
                return 0;
            }
        }

        @Command(name = "pause", mixinStandardHelpOptions = true, description = "Keep the canary's current weights.")
        static final class Pause extends StateChange {
            @Override
            String state() {
                return "Paused";
            }
        }

        @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let the steps advance again (from step 0 "
                + "after an abort).")
        static final class Resume extends StateChange {
            @Override
            String state() {
                return "Running";
            }
        }

        @Command(name = "abort", mixinStandardHelpOptions = true, description = "Send all traffic back to the legacy target "
                + "group.")
        static final class Abort extends StateChange {
            @Override
            String state() {
                return "Aborted";
            }
        }
    }

    @Command(name = "scaffold", mixinStandardHelpOptions = true, description = "Write the Dockerfile and CI pipelines of the "
            + "Application's template into a directory, for the team's own repository.")
    static final class ScaffoldFiles implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--dir", defaultValue = ".", description = "Where to write them (default: the current directory).")
        Path directory;

        @Option(names = "--force", description = "Overwrite files that exist.")
        boolean force;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            var answer = connection.send("GET", target.path("scaffold"), null, 200);
            if (answer.isEmpty()) {
                return 1;
            }
            Path root = directory.toAbsolutePath().normalize();
            for (Iterator<Map.Entry<String, JsonNode>> files = answer.get().path("files").fields(); files.hasNext(); ) {
                Map.Entry<String, JsonNode> file = files.next();
                Path path = root.resolve(file.getKey()).normalize();
                if (!path.startsWith(root)) {
                    System.err.println("error: the server named a file outside " + root + ": " + file.getKey());
                    return 1;
                }
                if (Files.exists(path) && !force) {
                    System.err.println("error: " + path + " exists; give --force to overwrite it");
                    return 1;
                }
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue().asText());
                System.out.println("wrote " + root.relativize(path));
            }
            return 0;
        }
    }
}
