package dev.drover.model.cost;

import dev.drover.model.api.ClusterSpec;
import java.math.BigDecimal;
import java.util.BitSet;
import java.util.Optional;

/**
 * The share of a week in which a cluster's worker pools run: all of it, less the union of its hibernation windows.
 * Counted in whole minutes of a local week, so daylight-saving shifts do not change it.
 */
final class AwakeTime {

    static final int MINUTES_PER_WEEK = 7 * 24 * 60;
    private static final int MINUTES_PER_DAY = 24 * 60;

    private AwakeTime() {
    }

    /** Minutes per week the pools are not hibernating. */
    static int awakeMinutesPerWeek(Optional<ClusterSpec.Hibernation> hibernation) {
        if (hibernation.isEmpty()) {
            return MINUTES_PER_WEEK;
        }
        BitSet asleep = new BitSet(MINUTES_PER_WEEK);
        for (ClusterSpec.Window window : hibernation.get().windows()) {
            int start = minuteOfDay(window.start());
            int end = minuteOfDay(window.end());
            int length = end > start ? end - start : MINUTES_PER_DAY - start + end;
            for (ClusterSpec.Weekday day : window.days()) {
                // Set as ranges, not minute by minute: the cost pass does this for every hibernated cluster.
                int from = day.ordinal() * MINUTES_PER_DAY + start;
                int to = from + length;
                asleep.set(from, Math.min(to, MINUTES_PER_WEEK));
                if (to > MINUTES_PER_WEEK) {
                    asleep.set(0, to - MINUTES_PER_WEEK);
                }
            }
        }
        return MINUTES_PER_WEEK - asleep.cardinality();
    }

    /** Hours per month the pools run: the month's hours times the awake share of the week. */
    static BigDecimal awakeHours(int hoursPerMonth, int awakeMinutesPerWeek) {
        return BigDecimal.valueOf(hoursPerMonth).multiply(BigDecimal.valueOf(awakeMinutesPerWeek))
                .divide(BigDecimal.valueOf(MINUTES_PER_WEEK), Money.PRECISION);
    }

    private static int minuteOfDay(String time) {
        return Integer.parseInt(time.substring(0, 2)) * 60 + Integer.parseInt(time.substring(3, 5));
    }
}
