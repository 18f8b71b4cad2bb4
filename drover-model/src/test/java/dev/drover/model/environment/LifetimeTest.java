package dev.drover.model.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.LifetimePolicy;
import dev.drover.model.api.Named;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.validation.LifetimeAdmission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifetimeTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T09:00:00Z");
    private static final Lifetime.Limits FLAVOR_336H = new Lifetime.Limits(Optional.of(Duration.ofHours(336)),
            "flavor \"vcluster-dev\"", Optional.of("flavor \"vcluster-dev\""));

    @Test
    void durationsReadAndWriteAsSpecTtlDoes() {
        assertThat(Lifetime.parse("72h")).isEqualTo(Duration.ofHours(72));
        assertThat(Lifetime.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Lifetime.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Lifetime.format(Duration.ofHours(96))).isEqualTo("96h");
        assertThat(Lifetime.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        for (String invalid : List.of("3d", "", "h", "1m30h", "72", "1h1h", "m")) {
            assertThatThrownBy(() -> Lifetime.parse(invalid)).as(invalid).hasMessageContaining("72h");
        }
    }

    @Test
    void theExpiryIsTheCreationPlusTheTtlWithWarningsADayAndAnHourBefore() {
        Optional<String> ttl = Optional.of("72h");
        Instant expires = Instant.parse("2026-12-04T09:00:00Z");
        assertThat(Lifetime.expiry(CREATED, ttl, CREATED).orElseThrow())
                .isEqualTo(new Lifetime.Expiry(expires, Duration.ofHours(72), Lifetime.Stage.NOT_DUE));
        assertThat(Lifetime.expiry(CREATED, ttl, expires.minus(Duration.ofHours(24))).orElseThrow().stage())
                .isEqualTo(Lifetime.Stage.WITHIN_A_DAY);
        assertThat(Lifetime.expiry(CREATED, ttl, expires.minusSeconds(3599)).orElseThrow().stage())
                .isEqualTo(Lifetime.Stage.WITHIN_AN_HOUR);
        assertThat(Lifetime.expiry(CREATED, ttl, expires).orElseThrow().stage()).isEqualTo(Lifetime.Stage.EXPIRED);
        assertThat(Lifetime.nextStageAt(Lifetime.expiry(CREATED, ttl, CREATED).orElseThrow()))
                .contains(Instant.parse("2026-12-03T09:00:00Z"));
        assertThat(Lifetime.expiry(CREATED, Optional.empty(), CREATED)).isEmpty();
    }

    @Test
    void theShorterMaximumOfFlavorAndTeamApplies() {
        var flavor = new Named<>("vcluster-dev", flavor(new LifetimePolicy(Optional.of("336h"), List.of("development"))));
        var team = new Named<>("data-platform", team(new LifetimePolicy(Optional.of("168h"), List.of())));
        Lifetime.Limits limits = Lifetime.limits("development", flavor, team);
        assertThat(limits.maximum()).contains(Duration.ofHours(168));
        assertThat(limits.maximumSetBy()).isEqualTo("team \"data-platform\"");
        assertThat(limits.requiredBy()).contains("flavor \"vcluster-dev\"");
        assertThat(Lifetime.limits("production", flavor, team).requiredBy()).isEmpty();
    }

    @Test
    void aTtlAboveTheMaximumIsCutAtCreationWithAWarning() {
        var admitted = LifetimeAdmission.admit("notebooks", cluster("500h"), Optional.empty(), Optional.empty(), CREATED, FLAVOR_336H);
        assertThat(admitted.spec().ttl()).contains("336h");
        assertThat(admitted.warnings()).containsExactly("spec.ttl 500h is cut to 336h, the longest lifetime flavor \"vcluster-dev\" allows");
    }

    @Test
    void anExtensionBeyondTheMaximumIsRefusedWithTheCapAndTheHeadroom() {
        assertThat(refusal(() -> LifetimeAdmission.admit("notebooks", cluster("400h"), Optional.of(cluster("312h")),
                Optional.of(CREATED), CREATED.plus(Duration.ofHours(100)), FLAVOR_336H)))
                .contains("is more than the 336h that flavor \"vcluster-dev\" allows")
                .contains("until 2026-12-15T09:00:00Z at the latest").contains("extend it by at most 24h");
        var extended = LifetimeAdmission.admit("notebooks", cluster("336h"), Optional.of(cluster("312h")), Optional.of(CREATED),
                CREATED.plus(Duration.ofHours(100)), FLAVOR_336H);
        assertThat(extended.spec().ttl()).contains("336h");
    }

    @Test
    void aRequiredTtlCannotBeLeftOutOrRemoved() {
        assertThat(refusal(() -> LifetimeAdmission.admit("notebooks", cluster(null), Optional.empty(), Optional.empty(), CREATED,
                FLAVOR_336H))).contains("flavor \"vcluster-dev\" requires a TTL for clusters in environment \"development\" (at most 336h)");
        assertThat(refusal(() -> LifetimeAdmission.admit("notebooks", cluster(null), Optional.of(cluster("72h")), Optional.of(CREATED),
                CREATED, FLAVOR_336H))).contains("requires a TTL");
    }

    @Test
    void aTtlThatEndedAlreadyIsRefusedRatherThanDeletingTheClusterAtOnce() {
        assertThat(refusal(() -> LifetimeAdmission.admit("notebooks", cluster("24h"), Optional.of(cluster("72h")),
                Optional.of(CREATED), CREATED.plus(Duration.ofHours(30)), Lifetime.Limits.NONE)))
                .contains("which has passed").contains("delete the cluster instead").contains("longer than 30h");
    }

    /** The message of the refusal's one cause, which names spec.ttl. */
    private static String refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable admission) {
        ApiException refused = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class, admission);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.causes()).hasSize(1);
        assertThat(refused.causes().getFirst().field()).isEqualTo("spec.ttl");
        return refused.causes().getFirst().message();
    }

    private static ClusterSpec cluster(String ttl) {
        return new ClusterSpec("vcluster-dev", "development", Optional.empty(), Optional.empty(), List.of(), java.util.Map.of(),
                Optional.empty(), Optional.ofNullable(ttl), Optional.empty());
    }

    private static ClusterFlavorSpec flavor(LifetimePolicy lifetime) {
        return new ClusterFlavorSpec(dev.drover.model.api.Provider.VCLUSTER, Optional.empty(), List.of("development", "production"),
                new ClusterFlavorSpec.KubernetesVersions("1.31.4", List.of("1.31.4"), java.util.Map.of()), List.of(), Optional.empty(),
                List.of(), List.of(), List.of(), java.util.Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.of(lifetime), Optional.empty());
    }

    private static TeamSpec team(LifetimePolicy lifetime) {
        return new TeamSpec(Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(new TeamSpec.Environment("development", Optional.empty())), List.of(), Optional.of(lifetime), Optional.empty());
    }
}
