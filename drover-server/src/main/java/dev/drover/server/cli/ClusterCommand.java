package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.HibernationState;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Overrides;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.schema.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Extend, hibernate and wake Clusters.",
        subcommands = {ClusterCommand.Extend.class, ClusterCommand.Hibernate.class, ClusterCommand.Wake.class})
final class ClusterCommand {

    /** What every subcommand names: the Cluster and how to reach the API. */
    static final class Target {

        @Parameters(paramLabel = "NAME", description = "The Cluster.")
        String name;

        @Option(names = {"-n", "--namespace"}, required = true, description = "The Cluster's team (its namespace).")
        String team;

        @Mixin
        ApiConnection connection;

        String path() {
            return "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/namespaces/" + URLEncoder.encode(team, StandardCharsets.UTF_8)
                    + "/clusters/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        }

        Optional<JsonNode> get() throws Exception {
            return connection.send("GET", path(), null, 200);
        }

        /** A JSON merge patch of the spec, so that the write goes through admission like any other. */
        Optional<JsonNode> patchSpec(String fieldManager, ObjectNode spec) throws Exception {
            ObjectNode patch = Json.MAPPER.createObjectNode();
            patch.set("spec", spec);
            return connection.send("PATCH", path() + "?fieldManager=" + fieldManager, Json.write(patch),
                    "application/merge-patch+json", 200);
        }

        String describe() {
            return "cluster " + team + "/" + name;
        }
    }

    @Command(name = "extend", mixinStandardHelpOptions = true, description = "Raise the Cluster's spec.ttl, so that it "
            + "lives longer; refused beyond the longest lifetime its flavor and team allow.")
    static final class Extend implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--by", required = true, description = "How much longer, for example 24h or 90m.")
        String by;

        @Override
        public Integer call() throws Exception {
            Duration extra;
            try {
                extra = Lifetime.parse(by);
            } catch (IllegalArgumentException invalid) {
                System.err.println("error: --by " + invalid.getMessage());
                return 2;
            }
            Optional<JsonNode> cluster = target.get();
            if (cluster.isEmpty()) {
                return 1;
            }
            String ttl = cluster.get().path("spec").path("ttl").asText("");
            if (ttl.isEmpty()) {
                System.err.println("error: " + target.describe() + " has no spec.ttl, so it does not expire");
                return 1;
            }
            String extended = Lifetime.format(Lifetime.parse(ttl).plus(extra));
            ObjectNode spec = Json.MAPPER.createObjectNode().put("ttl", extended);
            Optional<JsonNode> patched = target.patchSpec("drover-cluster-extend", spec);
            if (patched.isEmpty()) {
                return 1;
            }
            Instant created = Instant.parse(patched.get().path("metadata").path("creationTimestamp").asText());
            System.out.println(target.describe() + ": ttl " + ttl + " -> " + extended + ", expires at "
                    + created.plus(Lifetime.parse(extended)));
            return 0;
        }
    }

    @Command(name = "hibernate", mixinStandardHelpOptions = true, description = "Hibernate the Cluster now (worker pools "
            + "at zero) until its schedule next wakes it, or until --until, or (without a schedule) until `drover cluster wake`.")
    static final class Hibernate implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--until", description = "When to wake (RFC 3339, UTC), for example 2026-12-28T07:00:00Z.")
        Instant until;

        @Option(names = "--reason", description = "Why, shown in the Cluster's status.")
        String reason;

        @Override
        public Integer call() throws Exception {
            Optional<JsonNode> cluster = target.get();
            if (cluster.isEmpty()) {
                return 1;
            }
            return override(target, Overrides.hibernateNow(hibernation(cluster.get()), now(), Optional.ofNullable(until),
                    Optional.ofNullable(reason)));
        }
    }

    @Command(name = "wake", mixinStandardHelpOptions = true, description = "Wake the Cluster now until its schedule next "
            + "hibernates it (or until --until); with --skip-next, keep it awake through the next scheduled hibernation.")
    static final class Wake implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--until", description = "When the schedule applies again (RFC 3339, UTC).")
        Instant until;

        @Option(names = "--skip-next", description = "Skip the next scheduled hibernation that has not started.")
        boolean skipNext;

        @Option(names = "--reason", description = "Why, shown in the Cluster's status.")
        String reason;

        @Override
        public Integer call() throws Exception {
            Optional<JsonNode> cluster = target.get();
            if (cluster.isEmpty()) {
                return 1;
            }
            Optional<ClusterSpec.Hibernation> hibernation = hibernation(cluster.get());
            if (!skipNext) {
                return override(target, Overrides.wakeNow(hibernation, now(), Optional.ofNullable(until), Optional.ofNullable(reason)));
            }
            try {
                return override(target, Overrides.skipNext(hibernation, now(), Optional.ofNullable(reason)));
            } catch (IllegalArgumentException nothingToSkip) {
                System.err.println("error: " + target.describe() + ": " + nothingToSkip.getMessage());
                return 1;
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static Optional<ClusterSpec.Hibernation> hibernation(JsonNode cluster) {
        JsonNode hibernation = cluster.path("spec").path("hibernation");
        return hibernation.isObject() ? Optional.of(Json.bind(hibernation, ClusterSpec.Hibernation.class)) : Optional.empty();
    }

    /** Writes spec.hibernation.override whole (a merge patch would keep the old override's other fields). */
    private static int override(Target target, ClusterSpec.ScheduleOverride decided) throws Exception {
        ObjectNode override = Json.MAPPER.createObjectNode();
        override.set("state", Json.MAPPER.valueToTree(decided.state()));
        override.put("from", decided.from().orElse(null));
        override.put("until", decided.until().orElse(null));
        override.put("reason", decided.reason().orElse(null));
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.putObject("hibernation").set("override", override);
        boolean hibernated = decided.state() == HibernationState.HIBERNATED;
        Optional<JsonNode> patched = target.patchSpec(hibernated ? "drover-cluster-hibernate" : "drover-cluster-wake", spec);
        if (patched.isEmpty()) {
            return 1;
        }
        System.out.println(target.describe() + ": " + (hibernated ? "hibernated" : "awake")
                + decided.from().map(time -> " from " + time).orElse("") + decided.until().map(time -> " until " + time)
                .orElse(hibernated ? " until `drover cluster wake`" : " until the override is removed")
                + " (the fleet repository follows within seconds)");
        return 0;
    }
}
