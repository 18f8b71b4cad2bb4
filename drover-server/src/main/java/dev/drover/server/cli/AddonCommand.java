package dev.drover.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "addon", mixinStandardHelpOptions = true, description = "Work with the add-ons of AddonProfiles.",
        subcommands = {AddonCommand.Promote.class})
final class AddonCommand {

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Pin the version an add-on runs in one "
            + "environment for the next, as one commit. Refused while the source environment's clusters are not all "
            + "committed at that version and Ready (where Drover can tell).")
    static final class Promote implements Callable<Integer> {

        @Parameters(paramLabel = "PROFILE/ADDON", description = "The AddonProfile and add-on, for example baseline/cert-manager.")
        String target;

        @Option(names = "--from", required = true, description = "Environment whose version is promoted, for example staging.")
        String from;

        @Option(names = "--to", required = true, description = "Environment that gets the version, for example production.")
        String to;

        @Option(names = "--force", description = "Promote without checking the source environment's clusters.")
        boolean force;

        @Option(names = "--dry-run", description = "Show what would change without changing it.")
        boolean dryRun;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            int slash = target.indexOf('/');
            if (slash <= 0 || slash == target.length() - 1) {
                System.err.println("error: name the add-on as PROFILE/ADDON, for example baseline/cert-manager");
                return 2;
            }
            String profile = target.substring(0, slash);
            String addon = target.substring(slash + 1);
            ObjectNode request = Json.MAPPER.createObjectNode();
            request.put("addon", addon).put("from", from).put("to", to).put("force", force);
            String path = "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/addonprofiles/"
                    + URLEncoder.encode(profile, StandardCharsets.UTF_8) + "/promote" + (dryRun ? "?dryRun=All" : "");
            var answer = connection.send("POST", path, Json.write(request), 200);
            if (answer.isEmpty()) {
                return 1;
            }
            String version = versionOf(answer.get(), addon, to);
            System.out.println("addonprofile/" + profile + ": " + addon + " " + to + " -> " + version + (dryRun ? " (dry run)" : ""));
            return 0;
        }

        private static String versionOf(com.fasterxml.jackson.databind.JsonNode profile, String addon, String environment) {
            for (var entry : profile.path("spec").path("addons")) {
                if (entry.path("name").asText().equals(addon)) {
                    return entry.path("versions").path(environment).asText(entry.path("version").asText());
                }
            }
            return "";
        }
    }
}
