package dev.drover.server.environment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.ClusterSpec.HibernationState;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.environment.HibernationSchedule;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.ScheduleMemo;
import dev.drover.model.schema.Json;
import dev.drover.server.controller.StatusWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The environment controller's decisions, pure: from a Cluster's TTL, hibernation schedule and status, and the
 * instant, its status.expiresAt and status.hibernation, its Expiring and Hibernated conditions, whether it is to be
 * deleted now, and when it next needs looking at. Messages carry absolute times only, so a decision taken again a
 * minute later writes nothing.
 */
final class EnvironmentDecisions {

    static final String EXPIRING = "Expiring";
    static final String HIBERNATED = "Hibernated";
    /**
     * How long a connected cluster may still report ready worker nodes after its hibernation was decided before the
     * condition says the hibernation did not take effect: a commit, Flux's interval and the machines' drain.
     */
    static final Duration EFFECT_TIMEOUT = Duration.ofMinutes(15);

    /**
     * @param update the status to write (compared with the stored one by the status writer)
     * @param delete whether the Cluster's TTL has passed and nothing holds it
     * @param nextDue when the decision changes by the clock alone
     * @param savingNotReal why the cost estimate's hibernated hours are not happening now, if they are not
     */
    record Decision(StatusWriter.Update update, boolean delete, Optional<Instant> nextDue, Optional<String> savingNotReal) {
    }

    private EnvironmentDecisions() {
    }

    /** @param memo the hibernation decisions of the last pass, kept while they hold */
    static Decision decide(ClusterEnvironment cluster, Instant now, ScheduleMemo memo) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        List<Condition> conditions = new ArrayList<>();
        List<Instant> due = new ArrayList<>();
        boolean delete = false;
        Optional<Lifetime.Expiry> expiry = Lifetime.expiry(cluster.created(), cluster.spec().ttl(), now);
        if (expiry.isPresent()) {
            fields.put("expiresAt", Json.MAPPER.getNodeFactory().textNode(expiry.get().expiresAt().toString()));
            conditions.add(expiring(cluster, expiry.get()));
            Lifetime.nextStageAt(expiry.get()).ifPresent(due::add);
            delete = expiry.get().stage() == Lifetime.Stage.EXPIRED && cluster.hosted().isEmpty() && !cluster.deleting();
        } else if (cluster.status().has("expiresAt")) {
            fields.put("expiresAt", Json.MAPPER.nullNode());
            conditions.add(Condition.of(EXPIRING, false, cluster.generation(), "NoTtl", "the cluster has no ttl and does not expire"));
        }
        Optional<String> savingNotReal = Optional.empty();
        if (cluster.spec().hibernation().isPresent()) {
            HibernationSchedule.Decision decided = memo.decide(cluster.key(), cluster.spec().hibernation().get(), now);
            String since = cluster.lastHibernationState().equals(wireName(decided.state()))
                    ? cluster.lastHibernationTransition().orElse(seconds(now)) : seconds(now);
            fields.put("hibernation", hibernationStatus(decided, since));
            Instant sinceInstant = Instant.parse(since);
            Condition hibernated = hibernated(cluster, decided, sinceInstant, now);
            conditions.add(hibernated);
            savingNotReal = savingNotReal(cluster, decided, hibernated, now);
            decided.next().map(HibernationSchedule.Change::at).ifPresent(due::add);
            Instant effectCheck = sinceInstant.plus(EFFECT_TIMEOUT);
            if (decided.hibernated() && effectCheck.isAfter(now)) {
                due.add(effectCheck);
            }
        } else if (cluster.status().has("hibernation")) {
            fields.put("hibernation", Json.MAPPER.nullNode());
            conditions.add(Condition.of(HIBERNATED, false, cluster.generation(), "NoSchedule",
                    "the cluster has no hibernation schedule and runs all the time"));
        }
        var update = new StatusWriter.Update(cluster.key(), fields, conditions);
        return new Decision(update, delete, due.stream().min(Instant::compareTo), savingNotReal);
    }

    /** An override that keeps the cluster awake inside a window, or a hibernation that did not take effect. */
    private static Optional<String> savingNotReal(ClusterEnvironment cluster, HibernationSchedule.Decision decided,
                                                  Condition hibernated, Instant now) {
        if (hibernated.reason().filter("NotTakenEffect"::equals).isPresent()) {
            return Optional.of("its hibernation did not take effect (see its Hibernated condition)");
        }
        var spec = cluster.spec().hibernation().orElseThrow();
        if (!decided.hibernated() && spec.override().isPresent()
                && HibernationSchedule.decide(new dev.drover.model.api.ClusterSpec.Hibernation(spec.windows(), spec.timeZone()), now)
                .hibernated()) {
            return Optional.of("an override keeps it awake in a hibernation window (" + decided.cause() + ")");
        }
        return Optional.empty();
    }

    /**
     * status.hibernation as {@link ClusterStatus.HibernationStatus} writes it, built by hand: a pass builds one per
     * Cluster with a schedule, and binding a record through Jackson costs more than the schedule.
     */
    private static JsonNode hibernationStatus(HibernationSchedule.Decision decided, String since) {
        var status = Json.MAPPER.createObjectNode();
        status.put("state", wireName(decided.state()));
        status.put("cause", decided.cause());
        status.put("lastTransitionTime", since);
        decided.next().ifPresent(next -> status.putObject("next").put("state", wireName(next.state()))
                .put("at", next.at().toString()).put("cause", next.cause()));
        return status;
    }

    private static String wireName(HibernationState state) {
        return state == HibernationState.HIBERNATED ? "Hibernated" : "Awake";
    }

    private static Condition expiring(ClusterEnvironment cluster, Lifetime.Expiry expiry) {
        long generation = cluster.generation();
        String ttl = "ttl " + Lifetime.format(expiry.ttl()) + " from the creation at " + cluster.created();
        String extend = "; extend it with `drover cluster extend " + cluster.key().name() + " -n " + cluster.key().namespace()
                + " --by 24h`" + cluster.limits().maximum().map(maximum -> " (the ttl may grow to " + Lifetime.format(maximum)
                + ", the most " + cluster.limits().maximumSetBy() + " allows)").orElse("");
        return switch (expiry.stage()) {
            case NOT_DUE -> Condition.of(EXPIRING, false, generation, "NotDue", "expires at " + expiry.expiresAt() + " (" + ttl + ")");
            case WITHIN_A_DAY -> Condition.of(EXPIRING, true, generation, "ExpiresWithinADay", "deleted at "
                    + expiry.expiresAt() + ", within a day (" + ttl + ")" + extend);
            case WITHIN_AN_HOUR -> Condition.of(EXPIRING, true, generation, "ExpiresWithinAnHour", "deleted at "
                    + expiry.expiresAt() + ", within the hour (" + ttl + ")" + extend);
            case EXPIRED -> cluster.hosted().isEmpty()
                    ? Condition.of(EXPIRING, true, generation, "Expired", "the " + ttl + " ran out at " + expiry.expiresAt()
                            + "; Drover deletes the cluster and removes its files from the fleet repository")
                    : Condition.of(EXPIRING, true, generation, "ExpiryHeld", "the " + ttl + " ran out at " + expiry.expiresAt()
                            + ", but the cluster hosts the virtual clusters " + String.join(", ", cluster.hosted())
                            + "; it is deleted once they are gone");
        };
    }

    private static Condition hibernated(ClusterEnvironment cluster, HibernationSchedule.Decision decided, Instant since,
                                        Instant now) {
        long generation = cluster.generation();
        if (!decided.hibernated()) {
            return Condition.of(HIBERNATED, false, generation, "Awake", "awake (" + decided.cause() + ")"
                    + decided.next().map(next -> "; hibernates at " + next.at() + " (" + next.cause() + ")").orElse(""));
        }
        String wakes = decided.next().map(next -> "; wakes at " + next.at() + " (" + next.cause() + ")").orElse("");
        JsonNode observed = cluster.status().path("observed");
        long readyNodes = nodes(observed).mapToLong(pool -> pool.path("ready").asLong(0)).sum();
        if (observed.isObject() && readyNodes > 0 && !now.isBefore(since.plus(EFFECT_TIMEOUT))) {
            String pools = String.join(", ", nodes(observed).filter(pool -> pool.path("ready").asLong(0) > 0)
                    .map(pool -> pool.path("name").asText() + " " + pool.path("ready").asLong()).toList());
            return Condition.of(HIBERNATED, false, generation, "NotTakenEffect", "hibernated since " + since + " ("
                    + decided.cause() + "), but the management cluster still reports " + readyNodes + " ready worker node"
                    + (readyNodes == 1 ? "" : "s") + " (" + pools + ") " + EFFECT_TIMEOUT.toMinutes() + " minutes later; check "
                    + "that the fleet commit is applied" + Optional.of(observed.path("appliedRevision").asText(""))
                    .filter(revision -> !revision.isEmpty()).map(revision -> " (last applied: " + revision + ")").orElse("")
                    + " and that nothing scales the pools back up" + wakes);
        }
        return Condition.of(HIBERNATED, true, generation, decided.cause().startsWith("override") ? "Override" : "Scheduled",
                "worker pools at zero since " + since + " (" + decided.cause() + ")" + wakes);
    }

    private static Stream<JsonNode> nodes(JsonNode observed) {
        List<JsonNode> pools = new ArrayList<>();
        observed.path("nodePools").forEach(pools::add);
        return pools.stream();
    }

    private static String seconds(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
