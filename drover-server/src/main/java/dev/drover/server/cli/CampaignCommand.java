package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "campaign", mixinStandardHelpOptions = true, description = "Plan and steer Campaigns: fleet-wide changes "
        + "rolled out in stages.", subcommands = {CampaignCommand.Plan.class, CampaignCommand.Approve.class,
        CampaignCommand.Pause.class, CampaignCommand.Resume.class, CampaignCommand.Abort.class, CampaignCommand.Skip.class,
        CampaignCommand.Retry.class})
final class CampaignCommand {

    private static final String FIELD_MANAGER = "drover-campaign-cli";

    /** The Campaign a steering subcommand names, and how to reach the API. */
    static final class Target {

        @Parameters(index = "0", paramLabel = "NAME", description = "The Campaign.")
        String name;

        @Mixin
        ApiConnection connection;

        /** Reads and writes again at most this often when the campaign keeps changing under the edit. */
        private static final int CONFLICT_ATTEMPTS = 5;

        String path() {
            return "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/campaigns/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        }

        /**
         * Reads the Campaign, lets {@code change} edit its spec (it may refuse, with a message, from what it read), and
         * writes it back as a merge patch that carries the resourceVersion read, so that a concurrent change is never
         * overwritten. On a Conflict (the campaign changed since it was read: often only its status, which the
         * controller writes) it reads again and decides again from what it reads, as client-go's RetryOnConflict does.
         *
         * @param change edits the spec of the campaign read; returns what was done, or empty after printing a refusal
         */
        int edit(BiFunction<JsonNode, ObjectNode, Optional<String>> change) throws Exception {
            for (int attempt = 1; ; attempt++) {
                Optional<JsonNode> campaign = connection.send("GET", path(), null, 200);
                if (campaign.isEmpty()) {
                    return 1;
                }
                ObjectNode spec = (ObjectNode) campaign.get().path("spec").deepCopy();
                Optional<String> done = change.apply(campaign.get(), spec);
                if (done.isEmpty()) {
                    return 1;
                }
                ObjectNode patch = Json.MAPPER.createObjectNode();
                patch.putObject("metadata").put("resourceVersion", campaign.get().path("metadata").path("resourceVersion").asText());
                patch.set("spec", spec);
                ApiConnection.Answer answer = connection.exchange("PATCH", path() + "?fieldManager=" + FIELD_MANAGER,
                        Json.write(patch), "application/merge-patch+json");
                if (answer.status() == 200) {
                    System.out.println("campaign " + name + ": " + done.get());
                    return 0;
                }
                if (answer.status() != 409 || attempt == CONFLICT_ATTEMPTS) {
                    answer.printError();
                    return 1;
                }
            }
        }
    }

    private static void removeFrom(ArrayNode values, java.util.function.Predicate<JsonNode> matching) {
        for (int index = values.size() - 1; index >= 0; index--) {
            if (matching.test(values.get(index))) {
                values.remove(index);
            }
        }
    }

    private static void addTo(ObjectNode spec, String list, String value) {
        ArrayNode values = spec.withArrayProperty(list);
        for (JsonNode present : values) {
            if (present.asText().equals(value)) {
                return;
            }
        }
        values.add(value);
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Print the schedule of a Campaign in a file "
            + "(which clusters start when in which stage, given their windows and the concurrency; the ETA; clusters that "
            + "cannot finish before the deadline) without creating or changing anything.")
    static final class Plan implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "A Campaign as YAML or JSON.")
        Path file;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            JsonNode campaign = new YAMLMapper().readTree(Files.readString(file));
            String name = campaign.path("metadata").path("name").asText("");
            if (name.isEmpty()) {
                System.err.println("error: " + file + " has no metadata.name");
                return 2;
            }
            Optional<JsonNode> plan = connection.send("POST", "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/campaigns/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/plan", Json.write(campaign), 200);
            if (plan.isEmpty()) {
                return 1;
            }
            print(plan.get());
            return 0;
        }

        private static void print(JsonNode plan) {
            System.out.println("Campaign " + plan.path("metadata").path("name").asText() + ", planned from "
                    + plan.path("from").asText() + (plan.has("deadline") ? ", deadline " + plan.path("deadline").asText() : ""));
            System.out.println();
            List<List<String>> stages = new ArrayList<>();
            plan.path("stages").forEach(stage -> stages.add(List.of(stage.path("name").asText(), stage.path("clusters").asText(),
                    stage.path("start").asText("-"), stage.path("end").asText("-"),
                    stage.path("awaitsApproval").asBoolean() ? "yes" : "no")));
            TablePrinter.print(System.out, List.of("STAGE", "CLUSTERS", "START", "END", "APPROVAL"), TablePrinter.Align.LEFT, stages);
            System.out.println();
            List<List<String>> clusters = new ArrayList<>();
            plan.path("clusters").forEach(cluster -> clusters.add(List.of(cluster.path("name").asText(),
                    cluster.path("stage").asText(), cluster.path("start").asText("no window"), cluster.path("finish").asText("-"),
                    cluster.path("late").asBoolean() ? "late" : "")));
            TablePrinter.print(System.out, List.of("CLUSTER", "STAGE", "START", "FINISH", ""), TablePrinter.Align.LEFT, clusters);
            if (!plan.path("notPlanned").isEmpty()) {
                System.out.println();
                List<List<String>> left = new ArrayList<>();
                plan.path("notPlanned").forEach(cluster -> left.add(List.of(cluster.path("name").asText(),
                        cluster.path("state").asText(), cluster.path("reason").asText(), cluster.path("message").asText())));
                TablePrinter.print(System.out, List.of("NOT PLANNED", "STATE", "REASON", "MESSAGE"), TablePrinter.Align.LEFT, left);
            }
            System.out.println();
            System.out.println("ETA: " + plan.path("eta").asText("none (nothing to do, or a cluster has no window)"));
            List<String> late = new ArrayList<>();
            plan.path("late").forEach(name -> late.add(name.asText()));
            if (!late.isEmpty()) {
                System.out.println("Cannot finish before the deadline: " + String.join(", ", late));
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a stage that requires approval.")
    static final class Approve implements Callable<Integer> {

        @Mixin
        Target target;

        @Parameters(index = "1", paramLabel = "STAGE", description = "The stage.")
        String stage;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                addTo(spec, "approvedStages", stage);
                return Optional.of("stage " + stage + " approved");
            });
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop starting clusters; those in flight finish.")
    static final class Pause implements Callable<Integer> {

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                spec.put("paused", true);
                return Optional.of("paused; clusters in flight finish their update");
            });
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused Campaign. Clusters that "
            + "failed are accepted as failed (spec.acceptedFailures), so that they no longer hold it; retry or skip them "
            + "first to handle them otherwise.")
    static final class Resume implements Callable<Integer> {

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                List<String> failed = new ArrayList<>();
                campaign.path("status").path("clusters").forEach(cluster -> {
                    if (cluster.path("state").asText().equals("Failed")) {
                        failed.add(cluster.path("name").asText());
                    }
                });
                spec.put("paused", false);
                failed.forEach(cluster -> addTo(spec, "acceptedFailures", cluster));
                return Optional.of("resumed" + (failed.isEmpty() ? "" : "; accepted as failed: " + String.join(", ", failed)));
            });
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "End the Campaign for good: no cluster starts "
            + "any more; clusters in flight finish; nothing is rolled back.")
    static final class Abort implements Callable<Integer> {

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                spec.put("aborted", true);
                return Optional.of("aborted; see its status for the clusters still in flight");
            });
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true, description = "Leave one cluster out of the Campaign.")
    static final class Skip implements Callable<Integer> {

        @Mixin
        Target target;

        @Parameters(index = "1", paramLabel = "CLUSTER", description = "The cluster, as team/name.")
        String cluster;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                addTo(spec, "skip", cluster);
                return Optional.of(cluster + " skipped");
            });
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Try a failed cluster again.")
    static final class Retry implements Callable<Integer> {

        @Mixin
        Target target;

        @Parameters(index = "1", paramLabel = "CLUSTER", description = "The cluster, as team/name.")
        String cluster;

        @Override
        public Integer call() throws Exception {
            return target.edit((campaign, spec) -> {
                Optional<JsonNode> progress = java.util.stream.StreamSupport.stream(
                        campaign.path("status").path("clusters").spliterator(), false)
                        .filter(each -> each.path("name").asText().equals(cluster)).findFirst();
                if (progress.isEmpty() || !progress.get().path("state").asText().equals("Failed")) {
                    System.err.println("error: " + cluster + " is " + progress.map(each -> each.path("state").asText())
                            .orElse("not in campaign " + target.name) + "; only a Failed cluster is retried");
                    return Optional.empty();
                }
                int attempt = progress.get().path("attempt").asInt(1) + 1;
                ArrayNode retries = spec.withArrayProperty("retries");
                removeFrom(retries, retry -> retry.path("cluster").asText().equals(cluster));
                retries.addObject().put("cluster", cluster).put("attempt", attempt);
                // A retried cluster counts again: it is no longer an accepted failure.
                removeFrom(spec.withArrayProperty("acceptedFailures"), accepted -> accepted.asText().equals(cluster));
                return Optional.of(cluster + " retried (attempt " + attempt + ")");
            });
        }
    }
}
