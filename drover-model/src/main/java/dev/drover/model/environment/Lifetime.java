package dev.drover.model.environment;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.LifetimePolicy;
import dev.drover.model.api.Named;
import dev.drover.model.api.TeamSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A cluster's lifetime with the semantics of OpenShift Hive's delete-after: spec.ttl counts from the creation time, so
 * the expiry is an absolute instant that neither a restart nor a late reconcile moves; an extension raises the TTL.
 * Pure.
 */
public final class Lifetime {

    /** The first warning, as Events and the Expiring condition give it. */
    public static final Duration FIRST_WARNING = Duration.ofHours(24);
    public static final Duration LAST_WARNING = Duration.ofHours(1);


    /** How close the expiry is. */
    public enum Stage {
        NOT_DUE, WITHIN_A_DAY, WITHIN_AN_HOUR, EXPIRED
    }

    public record Expiry(Instant expiresAt, Duration ttl, Stage stage) {
        public Expiry {
            requireNonNull(expiresAt, "expiresAt is null");
            requireNonNull(ttl, "ttl is null");
            requireNonNull(stage, "stage is null");
        }
    }

    /**
     * What limits a cluster's TTL in its environment.
     *
     * @param maximum the shortest of the flavor's and the team's maximumTtl
     * @param maximumSetBy who sets that maximum, for messages: {@code flavor "dev-small"}
     * @param requiredBy who requires a TTL in the environment, if anyone
     */
    public record Limits(Optional<Duration> maximum, String maximumSetBy, Optional<String> requiredBy) {
        public static final Limits NONE = new Limits(Optional.empty(), "", Optional.empty());

        public Limits {
            requireNonNull(maximum, "maximum is null");
            requireNonNull(maximumSetBy, "maximumSetBy is null");
            requireNonNull(requiredBy, "requiredBy is null");
        }
    }

    private Lifetime() {
    }

    /** @throws IllegalArgumentException when the text is not a duration such as 72h, 90m or 1h30m */
    public static Duration parse(String text) {
        // Read by hand, as ClusterSpec.DURATION says: a pass over the fleet reads every Cluster's TTL.
        long hours = 0;
        long number = 0;
        boolean digits = false;
        boolean sawHours = false;
        boolean sawMinutes = false;
        for (int index = 0; index < text.length(); index++) {
            char next = text.charAt(index);
            if (next >= '0' && next <= '9' && !sawMinutes && number < Long.MAX_VALUE / 100) {
                number = number * 10 + next - '0';
                digits = true;
            } else if (next == 'h' && digits && !sawHours && !sawMinutes) {
                hours = number;
                number = 0;
                digits = false;
                sawHours = true;
            } else if (next == 'm' && digits && !sawMinutes) {
                sawMinutes = true;
                digits = false;
            } else {
                throw notADuration(text);
            }
        }
        if (digits || (!sawHours && !sawMinutes)) {
            throw notADuration(text);
        }
        return Duration.ofHours(hours).plusMinutes(sawMinutes ? number : 0);
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration such as 72h, 90m or 1h30m");
    }

    /** The duration as spec.ttl writes it: 72h, 90m, 1h30m. */
    public static String format(Duration duration) {
        long hours = duration.toHours();
        long minutes = duration.toMinutesPart();
        return hours == 0 ? minutes + "m" : minutes == 0 ? hours + "h" : hours + "h" + minutes + "m";
    }

    /** The expiry of a cluster created at {@code created} with the TTL, as of {@code now}; empty without a TTL. */
    public static Optional<Expiry> expiry(Instant created, Optional<String> ttl, Instant now) {
        if (ttl.isEmpty()) {
            return Optional.empty();
        }
        Duration lifetime = parse(ttl.get());
        Instant expiresAt = created.plus(lifetime);
        Duration left = Duration.between(now, expiresAt);
        Stage stage = !left.isPositive() ? Stage.EXPIRED
                : left.compareTo(LAST_WARNING) <= 0 ? Stage.WITHIN_AN_HOUR
                : left.compareTo(FIRST_WARNING) <= 0 ? Stage.WITHIN_A_DAY : Stage.NOT_DUE;
        return Optional.of(new Expiry(expiresAt, lifetime, stage));
    }

    /** When the stage next changes: the next warning or the expiry, or empty once expired. */
    public static Optional<Instant> nextStageAt(Expiry expiry) {
        return switch (expiry.stage()) {
            case NOT_DUE -> Optional.of(expiry.expiresAt().minus(FIRST_WARNING));
            case WITHIN_A_DAY -> Optional.of(expiry.expiresAt().minus(LAST_WARNING));
            case WITHIN_AN_HOUR -> Optional.of(expiry.expiresAt());
            case EXPIRED -> Optional.empty();
        };
    }

    /** The limits the flavor and the team set on clusters of the environment. */
    public static Limits limits(String environment, Named<ClusterFlavorSpec> flavor, Named<TeamSpec> team) {
        Optional<LifetimePolicy> flavorPolicy = flavor.spec().lifetime();
        Optional<LifetimePolicy> teamPolicy = team.spec().lifetime();
        String flavorName = "flavor \"" + flavor.name() + "\"";
        String teamName = "team \"" + team.name() + "\"";
        Optional<Duration> flavorMaximum = flavorPolicy.flatMap(LifetimePolicy::maximumTtl).map(Lifetime::parse);
        Optional<Duration> teamMaximum = teamPolicy.flatMap(LifetimePolicy::maximumTtl).map(Lifetime::parse);
        Optional<Duration> maximum;
        String setBy;
        if (teamMaximum.isPresent() && (flavorMaximum.isEmpty() || teamMaximum.get().compareTo(flavorMaximum.get()) < 0)) {
            maximum = teamMaximum;
            setBy = teamName;
        } else {
            maximum = flavorMaximum;
            setBy = flavorMaximum.isPresent() ? flavorName : "";
        }
        Optional<String> requiredBy = flavorPolicy.filter(policy -> policy.ttlRequiredIn().contains(environment)).map(policy -> flavorName)
                .or(() -> teamPolicy.filter(policy -> policy.ttlRequiredIn().contains(environment)).map(policy -> teamName));
        return new Limits(maximum, setBy, requiredBy);
    }
}
