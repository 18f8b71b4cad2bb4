package dev.drover.model.environment;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.HibernationState;
import java.time.Instant;
import java.util.Optional;

/**
 * The one-off exceptions `drover cluster hibernate|wake` write into spec.hibernation.override, computed from the
 * Cluster's windows alone (its current override left out). Pure.
 */
public final class Overrides {

    private Overrides() {
    }

    /**
     * Hibernated from now until the schedule would wake the cluster after its next (or current) window; without
     * windows, until removed.
     */
    public static ClusterSpec.ScheduleOverride hibernateNow(Optional<ClusterSpec.Hibernation> hibernation, Instant now,
                                                            Optional<Instant> until, Optional<String> reason) {
        Optional<Instant> end = until.or(() -> windowsOnly(hibernation).flatMap(windows -> {
            HibernationSchedule.Decision decided = HibernationSchedule.decide(windows, now);
            return decided.hibernated() ? decided.next().map(HibernationSchedule.Change::at) : endOfNextWindow(windows, decided);
        }));
        return new ClusterSpec.ScheduleOverride(HibernationState.HIBERNATED, Optional.empty(), end.map(Instant::toString), reason);
    }

    /** Awake from now until the schedule next hibernates the cluster (or, inside a window, until it ends anyway). */
    public static ClusterSpec.ScheduleOverride wakeNow(Optional<ClusterSpec.Hibernation> hibernation, Instant now,
                                                       Optional<Instant> until, Optional<String> reason) {
        Optional<Instant> end = until.or(() -> windowsOnly(hibernation)
                .flatMap(windows -> HibernationSchedule.decide(windows, now).next().map(HibernationSchedule.Change::at)));
        return new ClusterSpec.ScheduleOverride(HibernationState.AWAKE, Optional.empty(), end.map(Instant::toString), reason);
    }

    /**
     * Awake through the next window that has not started yet (after the current one, inside a window).
     *
     * @throws IllegalArgumentException when there is no window to skip in the coming week
     */
    public static ClusterSpec.ScheduleOverride skipNext(Optional<ClusterSpec.Hibernation> hibernation, Instant now,
                                                        Optional<String> reason) {
        ClusterSpec.Hibernation windows = windowsOnly(hibernation).orElseThrow(() ->
                new IllegalArgumentException("the cluster has no hibernation windows to skip"));
        HibernationSchedule.Decision decided = HibernationSchedule.decide(windows, now);
        Optional<Instant> start = decided.hibernated()
                ? decided.next().flatMap(wake -> HibernationSchedule.decide(windows, wake.at()).next()).map(HibernationSchedule.Change::at)
                : decided.next().map(HibernationSchedule.Change::at);
        Optional<Instant> end = start.flatMap(at -> HibernationSchedule.decide(windows, at).next()).map(HibernationSchedule.Change::at);
        if (start.isEmpty() || end.isEmpty()) {
            throw new IllegalArgumentException("the cluster has no scheduled hibernation in the coming week");
        }
        return new ClusterSpec.ScheduleOverride(HibernationState.AWAKE, Optional.of(start.get().toString()),
                Optional.of(end.get().toString()), reason.or(() -> Optional.of("next hibernation skipped")));
    }

    private static Optional<Instant> endOfNextWindow(ClusterSpec.Hibernation windows, HibernationSchedule.Decision awake) {
        return awake.next().flatMap(start -> HibernationSchedule.decide(windows, start.at()).next()).map(HibernationSchedule.Change::at);
    }

    private static Optional<ClusterSpec.Hibernation> windowsOnly(Optional<ClusterSpec.Hibernation> hibernation) {
        return hibernation.filter(spec -> !spec.windows().isEmpty())
                .map(spec -> new ClusterSpec.Hibernation(spec.windows(), spec.timeZone()));
    }
}
