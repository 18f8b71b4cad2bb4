package dev.drover.server.controller;

import dev.drover.server.store.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the whole-fleet controllers that decide from the clock share (lifetimes and hibernation, version lifecycles,
 * maintenance windows): one work item; a pass soon after a change; the next pass at the earliest due time of the last
 * one's decisions, at least a second and at most the resync period away; and the statuses last written, so that a
 * pass writes only what changed. A pass is {@link #begin}, {@link #decided} (or {@link #changed} and {@link #due})
 * per decision, then {@link #end}, on the controller's thread.
 */
public final class ClockedPass {

    /** The one thing to do: decide the whole fleet. */
    public enum Work { FLEET }

    /** The changes of a burst are taken in one pass. */
    private static final Duration SETTLE = Duration.ofMillis(200);
    /** Due times are met to about this; passes do not run more often. */
    private static final Duration SOONEST = Duration.ofSeconds(1);

    private final WorkQueue<Work> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofMinutes(5));
    private final Clock clock;
    private final Duration resync;
    private final Map<ObjectKey, StatusWriter.Update> written = new HashMap<>();
    private final Map<ObjectKey, StatusWriter.Update> decided = new HashMap<>();
    private Instant nextDue = Instant.MAX;

    /** Queues the first pass. */
    public ClockedPass(Clock clock, Duration resync) {
        this.clock = clock;
        this.resync = resync;
        wake();
    }

    public WorkQueue<Work> queue() {
        return queue;
    }

    /** A handler that queues a pass when an object comes or goes, or its spec, labels or deletion change. */
    public <S> Informer.Handler<S> onSpecChange() {
        return (before, after) -> {
            if (before.isEmpty() || after.isEmpty() || after.get().specOrLabelsDifferFrom(before.get())) {
                wake();
            }
        };
    }

    /** Queues a pass soon. */
    public void wake() {
        queue.addAfter(Work.FLEET, SETTLE);
    }

    /** Starts a pass. @return the instant it decides for */
    public Instant begin() {
        Instant now = clock.instant();
        nextDue = now.plus(resync);
        decided.clear();
        return now;
    }

    /** Whether the decided update differs from what was last written for its object (so it is to be written). */
    public boolean changed(StatusWriter.Update update) {
        decided.put(update.key(), update);
        return !update.equals(written.get(update.key()));
    }

    /** Notes a decision: its update, if any, joins {@code toWrite} when it changed; its due time counts for the next pass. */
    public void decided(Optional<StatusWriter.Update> update, Optional<Instant> dueAt, java.util.List<StatusWriter.Update> toWrite) {
        update.filter(this::changed).ifPresent(toWrite::add);
        due(dueAt);
    }

    /** Notes when a decision changes by the clock alone. */
    public void due(Optional<Instant> at) {
        at.filter(due -> due.isBefore(nextDue)).ifPresent(due -> nextDue = due);
    }

    /** The objects the pass decided a status for. */
    public Set<ObjectKey> decidedKeys() {
        return decided.keySet();
    }

    /** Ends a pass whose statuses are written: they are what was last written now; the next pass is queued. */
    public void end() {
        written.clear();
        written.putAll(decided);
        Duration wait = Duration.between(clock.instant(), nextDue);
        queue.addAfter(Work.FLEET, wait.compareTo(SOONEST) < 0 ? SOONEST : wait);
    }
}
