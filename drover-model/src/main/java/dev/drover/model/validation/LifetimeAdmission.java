package dev.drover.model.validation;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.environment.Lifetime;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Cluster's spec.ttl against the lifetime limits of its flavor and team. Pure: the creation time and now are passed
 * in. At creation a TTL above the maximum is cut to it (with a warning), as Hive caps a requested lifetime; later a
 * change beyond the maximum is refused with the cap named, so an extension never silently does less than asked.
 */
public final class LifetimeAdmission {

    /** The spec with its TTL as admitted, and what the response warns about. */
    public record Admitted(ClusterSpec spec, List<String> warnings) {
        public Admitted {
            warnings = List.copyOf(warnings);
        }
    }

    private LifetimeAdmission() {
    }

    /**
     * @param created the stored Cluster's creation time on update; empty on create (it is created now)
     * @throws ApiException Invalid naming spec.ttl and the fix
     */
    public static Admitted admit(String name, ClusterSpec spec, Optional<ClusterSpec> previous, Optional<Instant> created,
                                 Instant now, Lifetime.Limits limits) {
        Optional<String> ttl = spec.ttl();
        Optional<String> before = previous.flatMap(ClusterSpec::ttl);
        if (ttl.isEmpty()) {
            if (limits.requiredBy().isPresent() && (previous.isEmpty() || before.isPresent())) {
                throw invalid(name, FieldError.required("spec.ttl", limits.requiredBy().get() + " requires a TTL for clusters in "
                        + "environment \"" + spec.environment() + "\"" + limits.maximum().map(max -> " (at most "
                        + Lifetime.format(max) + ")").orElse("") + "; set one such as ttl: 72h"));
            }
            return new Admitted(spec, List.of());
        }
        Duration asked = Lifetime.parse(ttl.get());
        if (asked.isZero()) {
            throw invalid(name, FieldError.invalid("spec.ttl", ttl.get(), "must be longer than zero, for example 72h"));
        }
        if (previous.isEmpty()) {
            if (limits.maximum().isPresent() && asked.compareTo(limits.maximum().get()) > 0) {
                String cut = Lifetime.format(limits.maximum().get());
                return new Admitted(spec.withTtl(Optional.of(cut)), List.of("spec.ttl " + ttl.get() + " is cut to " + cut
                        + ", the longest lifetime " + limits.maximumSetBy() + " allows"));
            }
            return new Admitted(spec, List.of());
        }
        if (ttl.equals(before)) {
            // Unchanged: a maximum lowered since does not shorten the lives of the clusters already admitted.
            return new Admitted(spec, List.of());
        }
        Instant createdAt = created.orElse(now);
        if (limits.maximum().isPresent() && asked.compareTo(limits.maximum().get()) > 0) {
            Duration maximum = limits.maximum().get();
            Duration headroom = before.map(Lifetime::parse).map(old -> maximum.minus(old)).orElse(maximum);
            throw invalid(name, FieldError.invalid("spec.ttl", ttl.get(), "is more than the " + Lifetime.format(maximum)
                    + " that " + limits.maximumSetBy() + " allows, so the cluster can live until " + createdAt.plus(maximum)
                    + " at the latest" + (headroom.isPositive() ? "; extend it by at most " + Lifetime.format(headroom)
                    : "; it cannot be extended further")));
        }
        Instant expiresAt = createdAt.plus(asked);
        if (!expiresAt.isAfter(now)) {
            throw invalid(name, FieldError.invalid("spec.ttl", ttl.get(), "makes the cluster expire at " + expiresAt
                    + ", which has passed (it was created at " + createdAt + "); delete the cluster instead, or give a TTL "
                    + "longer than " + Lifetime.format(Duration.between(createdAt, now).truncatedTo(java.time.temporal.ChronoUnit.MINUTES))));
        }
        return new Admitted(spec, List.of());
    }


    private static ApiException invalid(String name, FieldError error) {
        return ApiException.invalid(Kinds.CLUSTER, name, List.of(error));
    }
}
