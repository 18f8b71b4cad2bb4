package dev.drover.model.environment;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.HibernationState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a cluster is meant to be hibernated at an instant, and when that next changes: from its weekly windows in
 * their time zone and its one-off override. Pure and level-triggered: the answer depends only on the spec and the
 * instant, never on what was decided before, so a decision taken late (Drover was down when a window opened) is the
 * decision that would have been taken on time.
 */
public final class HibernationSchedule {

    /** A weekly schedule that changes at all changes within a week and a window's length. */
    private static final Duration HORIZON = Duration.ofDays(8);
    /** A window that started the day before may still be open (a window lasts less than a day). */
    private static final int DAYS_BEFORE = 1;
    private static final int DAYS_AFTER = 8;

    /** A coming change: the state from {@code at} on, and what makes it. */
    public record Change(HibernationState state, Instant at, String cause) {
        public Change {
            requireNonNull(state, "state is null");
            requireNonNull(at, "at is null");
            requireNonNull(cause, "cause is null");
        }
    }

    /**
     * The state at the instant, what decides it, and the next change within the horizon.
     *
     * @param validUntil until when the whole decision holds (the next boundary of any window or the override, which
     *     may change the cause without changing the state); empty when it holds for good
     */
    public record Decision(HibernationState state, String cause, Optional<Change> next, Optional<Instant> validUntil) {
        public Decision {
            requireNonNull(state, "state is null");
            requireNonNull(cause, "cause is null");
            requireNonNull(next, "next is null");
            requireNonNull(validUntil, "validUntil is null");
        }

        public boolean hibernated() {
            return state == HibernationState.HIBERNATED;
        }
    }

    private record Interval(Instant start, Instant end, String cause) {
        boolean contains(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end);
        }
    }

    private HibernationSchedule() {
    }

    /** @param hibernation an admitted spec.hibernation (valid time zone, times and override instants) */
    public static Decision decide(ClusterSpec.Hibernation hibernation, Instant now) {
        List<Interval> windows = windowsAround(hibernation, now);
        Optional<Interval> override = hibernation.override().map(HibernationSchedule::overrideSpan);
        Optional<HibernationState> overrideState = hibernation.override().map(ClusterSpec.ScheduleOverride::state);
        Decision current = at(now, windows, override, overrideState, !hibernation.windows().isEmpty());
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (Interval window : windows) {
            boundaries.add(window.start());
            boundaries.add(window.end());
        }
        override.ifPresent(span -> {
            boundaries.add(span.start());
            boundaries.add(span.end());
        });
        Instant horizon = now.plus(HORIZON);
        Optional<Instant> validUntil = boundaries.tailSet(now, false).stream().findFirst()
                .map(first -> first.isAfter(horizon) ? horizon : first);
        if (validUntil.isEmpty() && !windows.isEmpty()) {
            validUntil = Optional.of(horizon);
        }
        for (Instant boundary : boundaries.tailSet(now, false)) {
            if (boundary.isAfter(horizon)) {
                break;
            }
            Decision then = at(boundary, windows, override, overrideState, !hibernation.windows().isEmpty());
            if (then.state() != current.state()) {
                return new Decision(current.state(), current.cause(), Optional.of(new Change(then.state(), boundary, then.cause())),
                        validUntil);
            }
        }
        return new Decision(current.state(), current.cause(), Optional.empty(), validUntil);
    }

    private static Decision at(Instant instant, List<Interval> windows, Optional<Interval> override,
                               Optional<HibernationState> overrideState, boolean hasWindows) {
        if (override.isPresent() && override.get().contains(instant)) {
            return new Decision(overrideState.orElseThrow(), override.get().cause(), Optional.empty(), Optional.empty());
        }
        for (Interval window : windows) {
            if (window.contains(instant)) {
                return new Decision(HibernationState.HIBERNATED, window.cause(), Optional.empty(), Optional.empty());
            }
        }
        return new Decision(HibernationState.AWAKE, hasWindows ? "outside the hibernation windows" : "no hibernation window",
                Optional.empty(), Optional.empty());
    }

    /** The windows' occurrences from two days before the instant to nine days after, as instants. */
    private static List<Interval> windowsAround(ClusterSpec.Hibernation hibernation, Instant now) {
        ZoneId zone = zone(hibernation);
        LocalDate today = LocalDate.ofInstant(now, zone);
        List<Interval> intervals = new ArrayList<>();
        for (ClusterSpec.Window window : hibernation.windows()) {
            Set<java.time.DayOfWeek> days = EnumSet.noneOf(java.time.DayOfWeek.class);
            window.days().forEach(day -> days.add(java.time.DayOfWeek.of(day.ordinal() + 1)));
            LocalTime start = timeOfDay(window.start());
            LocalTime end = timeOfDay(window.end());
            String cause = describe(window, zone);
            for (int offset = -DAYS_BEFORE; offset <= DAYS_AFTER; offset++) {
                LocalDate date = today.plusDays(offset);
                if (days.contains(date.getDayOfWeek())) {
                    // A local time in a daylight-saving gap moves forward by the gap, as ZonedDateTime resolves it.
                    Instant from = date.atTime(start).atZone(zone).toInstant();
                    Instant to = (end.isAfter(start) ? date : date.plusDays(1)).atTime(end).atZone(zone).toInstant();
                    intervals.add(new Interval(from, to, cause));
                }
            }
        }
        return intervals;
    }

    /** An admitted HH:MM, read without a formatter: a pass over the fleet reads two per window. */
    private static LocalTime timeOfDay(String text) {
        return LocalTime.of((text.charAt(0) - '0') * 10 + text.charAt(1) - '0', (text.charAt(3) - '0') * 10 + text.charAt(4) - '0');
    }

    private static Interval overrideSpan(ClusterSpec.ScheduleOverride override) {
        Instant from = override.from().map(Instant::parse).orElse(Instant.MIN);
        Instant until = override.until().map(Instant::parse).orElse(Instant.MAX);
        String span = override.until().map(time -> " until " + time).orElse(" until it is removed");
        String cause = "override: " + (override.state() == HibernationState.HIBERNATED ? "hibernated" : "awake")
                + override.from().map(time -> " from " + time).orElse("") + span
                + override.reason().map(reason -> " (" + reason + ")").orElse("");
        return new Interval(from, until, cause);
    }

    static ZoneId zone(ClusterSpec.Hibernation hibernation) {
        return hibernation.timeZone().<ZoneId>map(ZoneId::of).orElse(ZoneOffset.UTC);
    }

    /** "window Mon,Tue,Wed,Thu,Fri 19:00-07:00 Europe/Berlin", as the commit messages and conditions name it. */
    public static String describe(ClusterSpec.Window window, ZoneId zone) {
        String days = window.days().stream().map(day -> day.name().charAt(0) + day.name().substring(1, 3).toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(","));
        return "window " + days + " " + window.start() + "-" + window.end() + " " + (zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId());
    }
}
