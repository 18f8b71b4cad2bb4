package dev.drover.server.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One check {@code /readyz} and {@code /metrics} report. A required check that fails makes Drover not ready; an
 * optional one (the management cluster) is reported but does not take Drover's API out of service. A liveness check
 * that fails fails {@code /livez} too: the process cannot recover by itself (a replica that lost the leadership) and
 * is to be restarted.
 */
public record HealthCheck(String name, boolean required, boolean liveness, Supplier<Result> probe) {

    /**
     * What a check found.
     *
     * @param failingSince when it started failing, if known
     */
    public record Result(boolean ok, String detail, Optional<Instant> failingSince) {
        public Result {
            requireNonNull(detail, "detail is null");
            requireNonNull(failingSince, "failingSince is null");
        }

        public static Result passed() {
            return new Result(true, "", Optional.empty());
        }
    }

    public HealthCheck {
        requireNonNull(name, "name is null");
        requireNonNull(probe, "probe is null");
    }

    public HealthCheck(String name, boolean required, Supplier<Result> probe) {
        this(name, required, false, probe);
    }
}
