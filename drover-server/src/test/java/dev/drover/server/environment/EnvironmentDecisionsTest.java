package dev.drover.server.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterStatus;
import dev.drover.model.api.Condition;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.environment.ScheduleMemo;
import dev.drover.model.schema.Json;
import dev.drover.server.store.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentDecisionsTest {

    private static final ObjectKey HOST = new ObjectKey(Kinds.CLUSTER.kind(), "data-platform", "shared-dev-host");
    private static final Instant CREATED = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void anExpiredHostOfVirtualClustersIsHeldAndSaysByWhom() {
        var host = cluster(spec("72h", null), List.of("data-platform/notebooks-dev"), MissingNode.getInstance());
        var decision = EnvironmentDecisions.decide(host, CREATED.plus(Duration.ofHours(73)), new ScheduleMemo());
        assertThat(decision.delete()).isFalse();
        Condition expiring = condition(decision, EnvironmentDecisions.EXPIRING);
        assertThat(expiring.reason()).contains("ExpiryHeld");
        assertThat(expiring.message().orElseThrow()).contains("hosts the virtual clusters data-platform/notebooks-dev");
        assertThat(decision.nextDue()).as("nothing more is due by the clock").isEmpty();

        var alone = cluster(spec("72h", null), List.of(), MissingNode.getInstance());
        assertThat(EnvironmentDecisions.decide(alone, CREATED.plus(Duration.ofHours(73)), new ScheduleMemo()).delete()).isTrue();
        assertThat(EnvironmentDecisions.decide(alone, CREATED.plus(Duration.ofHours(71)), new ScheduleMemo()).delete()).isFalse();
    }

    @Test
    void aHibernationThatDidNotTakeEffectSaysSoAfterTheTimeout() {
        String since = "2026-12-02T11:00:00Z";
        JsonNode status = Json.parseObject("""
                {"hibernation":{"state":"Hibernated","cause":"window","lastTransitionTime":"%s"},
                 "observed":{"nodePools":[{"name":"workers","desired":2,"ready":2,"upToDate":2}],
                             "appliedRevision":"main@sha1:0123456789abcdef"}}""".formatted(since));
        var cluster = cluster(spec(null, "11:00"), List.of(), status);
        Instant sinceInstant = Instant.parse(since);
        var early = EnvironmentDecisions.decide(cluster, sinceInstant.plus(Duration.ofMinutes(5)), new ScheduleMemo());
        assertThat(condition(early, EnvironmentDecisions.HIBERNATED).status()).isEqualTo(Condition.ConditionStatus.TRUE);
        assertThat(early.nextDue()).contains(sinceInstant.plus(EnvironmentDecisions.EFFECT_TIMEOUT));

        var late = EnvironmentDecisions.decide(cluster, sinceInstant.plus(Duration.ofMinutes(16)), new ScheduleMemo());
        Condition hibernated = condition(late, EnvironmentDecisions.HIBERNATED);
        assertThat(hibernated.status()).isEqualTo(Condition.ConditionStatus.FALSE);
        assertThat(hibernated.reason()).contains("NotTakenEffect");
        assertThat(late.savingNotReal()).contains("its hibernation did not take effect (see its Hibernated condition)");
        assertThat(hibernated.message().orElseThrow()).contains("still reports 2 ready worker nodes (workers 2) 15 minutes later")
                .contains("last applied: main@sha1:0123456789abcdef");
        JsonNode written = late.update().fields().get("hibernation");
        assertThat(Json.write(written)).contains("\"lastTransitionTime\":\"" + since + "\"");
        assertThat(Json.sameValue(Json.toTree(Json.bind(written, ClusterStatus.HibernationStatus.class)), written))
                .as("the hand-built status is what the schema's record writes").isTrue();
    }

    @Test
    void anOverrideKeepingTheClusterAwakeInAWindowMakesTheSavingNotReal() {
        var awake = new ClusterSpec.ScheduleOverride(ClusterSpec.HibernationState.AWAKE, Optional.empty(), Optional.empty(),
                Optional.of("demo"));
        ClusterSpec plain = spec(null, "11:00");
        var spec = new ClusterSpec(plain.flavor(), plain.environment(), plain.region(), plain.kubernetesVersion(), plain.nodePools(),
                plain.variables(), Optional.of(new ClusterSpec.Hibernation(plain.hibernation().orElseThrow().windows(),
                Optional.empty(), Optional.of(awake))), Optional.empty(), Optional.empty());
        var cluster = cluster(spec, List.of(), MissingNode.getInstance());
        assertThat(EnvironmentDecisions.decide(cluster, Instant.parse("2026-12-02T12:00:00Z"), new ScheduleMemo()).savingNotReal())
                .hasValueSatisfying(why -> assertThat(why).startsWith("an override keeps it awake in a hibernation window"));
        assertThat(EnvironmentDecisions.decide(cluster, Instant.parse("2026-12-02T14:00:00Z"), new ScheduleMemo()).savingNotReal())
                .as("outside the window nothing is skipped").isEmpty();
    }

    @Test
    void aClusterWithNeitherTtlNorScheduleGetsNoStatusFromTheController() {
        var plain = cluster(spec(null, null), List.of(), MissingNode.getInstance());
        assertThat(plain.concerned()).isFalse();
        var removed = cluster(spec(null, null), List.of(), Json.parseObject("{\"expiresAt\":\"2026-12-04T09:00:00Z\"}"));
        var decision = EnvironmentDecisions.decide(removed, CREATED, new ScheduleMemo());
        assertThat(decision.update().fields().get("expiresAt").isNull()).as("removed").isTrue();
        assertThat(condition(decision, EnvironmentDecisions.EXPIRING).reason()).contains("NoTtl");
    }

    private static ClusterEnvironment cluster(ClusterSpec spec, List<String> hosted, JsonNode status) {
        return new ClusterEnvironment(HOST, spec, CREATED, 1, false, Lifetime.Limits.NONE, hosted, status);
    }

    /** A spec with the TTL and, from {@code windowStart}, a daily two-hour window in UTC. */
    private static ClusterSpec spec(String ttl, String windowStart) {
        Optional<ClusterSpec.Hibernation> hibernation = Optional.ofNullable(windowStart).map(start -> new ClusterSpec.Hibernation(
                List.of(new ClusterSpec.Window(List.of(ClusterSpec.Weekday.values()), start, "13:00")), Optional.empty()));
        return new ClusterSpec("vsphere-onprem", "development", Optional.empty(), Optional.empty(), List.of(), java.util.Map.of(),
                hibernation, Optional.ofNullable(ttl), Optional.empty());
    }

    private static Condition condition(EnvironmentDecisions.Decision decision, String type) {
        return decision.update().conditions().stream().filter(condition -> condition.type().equals(type)).findFirst().orElseThrow();
    }
}
