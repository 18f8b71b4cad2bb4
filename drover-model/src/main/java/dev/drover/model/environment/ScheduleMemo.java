package dev.drover.model.environment;

import dev.drover.model.api.ClusterSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each Cluster's hibernation decision while it holds: the same spec (the informer keeps an unchanged spec as the
 * same object) and an instant before the decision's next boundary give the same decision, so a pass over a fleet
 * decides again only the clusters whose window opened or closed. Not thread-safe: one controller thread uses it.
 */
public final class ScheduleMemo {

    private record Entry(ClusterSpec.Hibernation spec, Instant decidedAt, HibernationSchedule.Decision decision) {
    }

    private final Map<Object, Entry> entries = new HashMap<>();

    /** {@link HibernationSchedule#decide}, from the memo while the last decision for the key holds. */
    public HibernationSchedule.Decision decide(Object key, ClusterSpec.Hibernation spec, Instant now) {
        Entry entry = entries.get(key);
        if (entry != null && entry.spec() == spec && !now.isBefore(entry.decidedAt())
                && entry.decision().validUntil().map(now::isBefore).orElse(true)) {
            return entry.decision();
        }
        HibernationSchedule.Decision decision = HibernationSchedule.decide(spec, now);
        entries.put(key, new Entry(spec, now, decision));
        return decision;
    }

    /** Forgets the clusters no longer in the fleet. */
    public void retain(Set<?> keys) {
        entries.keySet().retainAll(keys);
    }
}
