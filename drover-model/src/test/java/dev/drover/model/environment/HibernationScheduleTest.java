package dev.drover.model.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.HibernationState;
import dev.drover.model.api.ClusterSpec.Weekday;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HibernationScheduleTest {

    /** Nights and weekends in Berlin: Mon-Fri 19:00 to 07:00 the next morning, and the weekend from Friday night. */
    private static final ClusterSpec.Hibernation NIGHTS = new ClusterSpec.Hibernation(List.of(
            new ClusterSpec.Window(List.of(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY), "19:00", "07:00"),
            new ClusterSpec.Window(List.of(Weekday.FRIDAY), "19:00", "23:59"),
            new ClusterSpec.Window(List.of(Weekday.SATURDAY, Weekday.SUNDAY), "00:00", "23:59"),
            new ClusterSpec.Window(List.of(Weekday.MONDAY), "00:00", "07:00")), Optional.of("Europe/Berlin"));

    @Test
    void anOvernightWindowHibernatesUntilTheMorningInItsTimeZone() {
        // Wednesday 2026-12-02 20:30 in Berlin (UTC+1) is 19:30 UTC.
        var decided = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-02T19:30:00Z"));
        assertThat(decided.state()).isEqualTo(HibernationState.HIBERNATED);
        assertThat(decided.cause()).isEqualTo("window Mon,Tue,Wed,Thu 19:00-07:00 Europe/Berlin");
        assertThat(decided.next()).contains(new HibernationSchedule.Change(HibernationState.AWAKE,
                Instant.parse("2026-12-03T06:00:00Z"), "outside the hibernation windows"));
    }

    @Test
    void duringTheDayTheNextChangeIsTheEveningWindow() {
        var decided = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(decided.state()).isEqualTo(HibernationState.AWAKE);
        assertThat(decided.next().orElseThrow().at()).isEqualTo(Instant.parse("2026-12-02T18:00:00Z"));
    }

    @Test
    void adjoiningWindowsAreOneHibernationFromFridayEveningToMondayMorning() {
        // Friday 2026-12-04 20:00 Berlin. The windows leave a minute's gap at 23:59 each night: that is a change.
        var friday = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-04T19:00:00Z"));
        assertThat(friday.state()).isEqualTo(HibernationState.HIBERNATED);
        assertThat(friday.next().orElseThrow().at()).isEqualTo(Instant.parse("2026-12-04T22:59:00Z"));
        var sunday = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-06T12:00:00Z"));
        assertThat(sunday.state()).isEqualTo(HibernationState.HIBERNATED);
    }

    @Test
    void windowsFollowDaylightSavingTime() {
        var schedule = new ClusterSpec.Hibernation(List.of(new ClusterSpec.Window(List.of(Weekday.MONDAY), "19:00", "07:00")),
                Optional.of("Europe/Berlin"));
        // Summer time (UTC+2): 19:00 local is 17:00 UTC.
        assertThat(HibernationSchedule.decide(schedule, Instant.parse("2026-06-01T17:30:00Z")).hibernated()).isTrue();
        // Winter time (UTC+1): 19:00 local is 18:00 UTC, so 17:30 UTC is still awake.
        assertThat(HibernationSchedule.decide(schedule, Instant.parse("2026-11-30T17:30:00Z")).hibernated()).isFalse();
    }

    @Test
    void theDecisionIsTheSameWhenTakenLate() {
        // Level-triggered: a controller that was down at 19:00 and decides at 23:00 hibernates, as it would have at 19:00.
        var onTime = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-02T18:00:01Z"));
        var late = HibernationSchedule.decide(NIGHTS, Instant.parse("2026-12-02T22:00:00Z"));
        assertThat(late.state()).isEqualTo(onTime.state()).isEqualTo(HibernationState.HIBERNATED);
        assertThat(late.cause()).isEqualTo(onTime.cause());
        assertThat(late.next()).isEqualTo(onTime.next());
    }

    @Test
    void anOverrideWinsWhileItLasts() {
        var awakeTonight = new ClusterSpec.ScheduleOverride(HibernationState.AWAKE, Optional.of("2026-12-02T18:00:00Z"),
                Optional.of("2026-12-03T06:00:00Z"), Optional.of("release night"));
        var schedule = new ClusterSpec.Hibernation(NIGHTS.windows(), NIGHTS.timeZone(), Optional.of(awakeTonight));
        var during = HibernationSchedule.decide(schedule, Instant.parse("2026-12-02T20:00:00Z"));
        assertThat(during.state()).isEqualTo(HibernationState.AWAKE);
        assertThat(during.cause()).isEqualTo("override: awake from 2026-12-02T18:00:00Z until 2026-12-03T06:00:00Z (release night)");
        // From 06:00 the window decides again, and it is over then: awake until the next evening.
        assertThat(during.next().orElseThrow().at()).isEqualTo(Instant.parse("2026-12-03T18:00:00Z"));
        var before = HibernationSchedule.decide(schedule, Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(before.next()).as("the skipped window never starts").map(HibernationSchedule.Change::at)
                .contains(Instant.parse("2026-12-03T18:00:00Z"));
    }

    @Test
    void noWindowsAndNoOverrideIsAwakeForGood() {
        var decided = HibernationSchedule.decide(new ClusterSpec.Hibernation(List.of(), Optional.empty()), Instant.EPOCH);
        assertThat(decided.state()).isEqualTo(HibernationState.AWAKE);
        assertThat(decided.next()).isEmpty();
    }

    @Test
    void skipNextKeepsTheClusterAwakeThroughTheNextWindowOnly() {
        Instant morning = Instant.parse("2026-12-02T10:00:00Z");
        var skip = Overrides.skipNext(Optional.of(NIGHTS), morning, Optional.empty());
        assertThat(skip.from()).contains("2026-12-02T18:00:00Z");
        assertThat(skip.until()).contains("2026-12-03T06:00:00Z");
        // Inside a window, the next one is skipped, not the current one.
        var tonight = Overrides.skipNext(Optional.of(NIGHTS), Instant.parse("2026-12-02T20:00:00Z"), Optional.empty());
        assertThat(tonight.from()).contains("2026-12-03T18:00:00Z");
        assertThatThrownBy(() -> Overrides.skipNext(Optional.empty(), morning, Optional.empty()))
                .hasMessageContaining("no hibernation windows");
    }

    @Test
    void hibernateNowLastsUntilTheScheduleWakesTheClusterAnyway() {
        var now = Overrides.hibernateNow(Optional.of(NIGHTS), Instant.parse("2026-12-02T10:00:00Z"), Optional.empty(), Optional.empty());
        assertThat(now.state()).isEqualTo(HibernationState.HIBERNATED);
        assertThat(now.from()).isEmpty();
        assertThat(now.until()).contains("2026-12-03T06:00:00Z");
        assertThat(Overrides.hibernateNow(Optional.empty(), Instant.EPOCH, Optional.empty(), Optional.empty()).until())
                .as("without windows, until woken").isEmpty();
        var wake = Overrides.wakeNow(Optional.of(NIGHTS), Instant.parse("2026-12-02T20:00:00Z"), Optional.empty(), Optional.empty());
        assertThat(wake.until()).as("inside a window, until it ends").contains("2026-12-03T06:00:00Z");
    }
}
