package dev.gnomon.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gnomon's daylight-saving rules: a tick in a spring-forward gap fires once, when the gap ends;
 * in a repeated autumn hour each wall-clock time fires once, at its first occurrence.
 */
class CronDaylightSavingTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    // Paris, 2024-03-31: 02:00 +01:00 jumps to 03:00 +02:00 at 01:00Z.
    @Test
    void parisDailyTickInsideTheSpringGapFiresWhenTheGapEnds() {
        List<Instant> fires = fires("30 2 * * *", PARIS, "2024-03-30T12:00:00Z", 3);

        assertThat(fires).containsExactly(
            Instant.parse("2024-03-31T01:00:00Z"),
            Instant.parse("2024-04-01T00:30:00Z"),
            Instant.parse("2024-04-02T00:30:00Z"));
    }

    @Test
    void quartzFormFollowsTheSameGapRule() {
        assertThat(fires("0 30 2 * * ?", PARIS, "2024-03-30T12:00:00Z", 1))
            .containsExactly(Instant.parse("2024-03-31T01:00:00Z"));
    }

    @Test
    void parisQuarterHourJobAcrossTheSpringGapFiresOnceAtTheGapEnd() {
        // 02:00, 02:15, 02:30, 02:45 do not exist; with the real 03:00 they fire once, at 01:00Z.
        List<Instant> fires = fires("*/15 * * * *", PARIS, "2024-03-31T00:30:00Z", 4);

        assertThat(fires).containsExactly(
            Instant.parse("2024-03-31T00:45:00Z"),
            Instant.parse("2024-03-31T01:00:00Z"),
            Instant.parse("2024-03-31T01:15:00Z"),
            Instant.parse("2024-03-31T01:30:00Z"));
    }

    @Test
    void parisHourlyJobAcrossTheSpringGapHasNoDuplicate() {
        List<Instant> fires = fires("0 * * * *", PARIS, "2024-03-30T23:30:00Z", 3);

        assertThat(fires).containsExactly(
            Instant.parse("2024-03-31T00:00:00Z"),
            Instant.parse("2024-03-31T01:00:00Z"),
            Instant.parse("2024-03-31T02:00:00Z"));
    }

    @Test
    void everyMinuteOnTheShortParisDayFiresOncePerRealMinute() {
        // The local day lasts 23 hours: its 60 missing minutes collapse into the 03:00 tick.
        List<Instant> fires = firesBetween("* * * * *", PARIS, "2024-03-30T22:59:59Z", "2024-03-31T21:59:59Z");

        assertThat(fires).hasSize(23 * 60).doesNotHaveDuplicates().isSorted();
        assertThat(fires.get(0)).isEqualTo(Instant.parse("2024-03-30T23:00:00Z"));
    }

    @Test
    void aDailyParisJobFiresOnEveryDayOfTheYear() {
        List<Instant> fires = firesBetween("30 2 * * *", PARIS, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");

        assertThat(fires).hasSize(366).doesNotHaveDuplicates().isSorted();
    }

    // New York, 2024-03-10: 02:00 -05:00 jumps to 03:00 -04:00 at 07:00Z.
    @Test
    void newYorkDailyTickInsideTheSpringGapFiresWhenTheGapEnds() {
        assertThat(fires("30 2 * * *", NEW_YORK, "2024-03-09T12:00:00Z", 2)).containsExactly(
            Instant.parse("2024-03-10T07:00:00Z"),
            Instant.parse("2024-03-11T06:30:00Z"));
    }

    @Test
    void newYorkQuarterHourJobAcrossTheSpringGap() {
        assertThat(fires("*/15 * * * *", NEW_YORK, "2024-03-10T06:40:00Z", 3)).containsExactly(
            Instant.parse("2024-03-10T06:45:00Z"),
            Instant.parse("2024-03-10T07:00:00Z"),
            Instant.parse("2024-03-10T07:15:00Z"));
    }

    // Paris, 2024-10-27: 03:00 +02:00 falls back to 02:00 +01:00 at 01:00Z; 02:00-03:00 runs twice.
    @Test
    void parisDailyTickInTheRepeatedHourFiresOnceAtItsFirstOccurrence() {
        assertThat(fires("30 2 * * *", PARIS, "2024-10-26T12:00:00Z", 2)).containsExactly(
            Instant.parse("2024-10-27T00:30:00Z"),
            Instant.parse("2024-10-28T01:30:00Z"));
    }

    @Test
    void parisQuarterHourJobIsSilentDuringTheSecondPassOfTheRepeatedHour() {
        List<Instant> fires = fires("*/15 * * * *", PARIS, "2024-10-26T23:40:00Z", 7);

        assertThat(fires).containsExactly(
            Instant.parse("2024-10-26T23:45:00Z"), // 01:45 +02:00
            Instant.parse("2024-10-27T00:00:00Z"), // 02:00 +02:00
            Instant.parse("2024-10-27T00:15:00Z"), // 02:15 +02:00
            Instant.parse("2024-10-27T00:30:00Z"), // 02:30 +02:00
            Instant.parse("2024-10-27T00:45:00Z"), // 02:45 +02:00
            Instant.parse("2024-10-27T02:00:00Z"), // 03:00 +01:00, an hour and a quarter later
            Instant.parse("2024-10-27T02:15:00Z"));
    }

    @Test
    void askingDuringTheSecondPassResumesAfterTheRepeatedHour() {
        CronExpression cron = CronExpression.parse("*/15 * * * *");

        assertThat(cron.nextAfter(Instant.parse("2024-10-27T01:05:00Z"), PARIS))
            .contains(Instant.parse("2024-10-27T02:00:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2024-10-27T00:50:00Z"), PARIS))
            .contains(Instant.parse("2024-10-27T02:00:00Z"));
    }

    @Test
    void everyMinuteOnTheLongParisDayFiresOncePerWallClockMinute() {
        List<Instant> fires = firesBetween("* * * * *", PARIS, "2024-10-26T21:59:59Z", "2024-10-27T22:59:59Z");

        assertThat(fires).hasSize(24 * 60).doesNotHaveDuplicates().isSorted();
        assertThat(fires).noneMatch(t -> t.isAfter(Instant.parse("2024-10-27T00:59:00Z"))
            && t.isBefore(Instant.parse("2024-10-27T02:00:00Z")));
    }

    // New York, 2024-11-03: 02:00 -04:00 falls back to 01:00 -05:00 at 06:00Z.
    @Test
    void newYorkHourlyJobFiresTheRepeatedOneOClockOnce() {
        assertThat(fires("0 * * * *", NEW_YORK, "2024-11-03T04:30:00Z", 3)).containsExactly(
            Instant.parse("2024-11-03T05:00:00Z"), // 01:00 -04:00
            Instant.parse("2024-11-03T07:00:00Z"), // 02:00 -05:00; 01:00 -05:00 does not fire
            Instant.parse("2024-11-03T08:00:00Z"));
    }

    @Test
    void newYorkDailyTickInTheRepeatedHourFiresOnce() {
        assertThat(fires("30 1 * * *", NEW_YORK, "2024-11-02T12:00:00Z", 2)).containsExactly(
            Instant.parse("2024-11-03T05:30:00Z"),
            Instant.parse("2024-11-04T06:30:00Z"));
    }

    @Test
    void kolkataHasAHalfHourOffsetAndNoDaylightSaving() {
        assertThat(fires("30 9 * * *", KOLKATA, "2024-03-30T00:00:00Z", 2)).containsExactly(
            Instant.parse("2024-03-30T04:00:00Z"),
            Instant.parse("2024-03-31T04:00:00Z"));
        assertThat(fires("0 0 0 * * ?", KOLKATA, "2024-10-27T00:00:00Z", 1))
            .containsExactly(Instant.parse("2024-10-27T18:30:00Z"));
    }

    private static List<Instant> fires(String expression, ZoneId zone, String from, int count) {
        CronExpression cron = CronExpression.parse(expression);
        List<Instant> fires = new ArrayList<>();
        Instant t = Instant.parse(from);
        for (int i = 0; i < count; i++) {
            t = cron.nextAfter(t, zone).orElseThrow();
            fires.add(t);
        }
        return fires;
    }

    private static List<Instant> firesBetween(String expression, ZoneId zone, String from, String until) {
        CronExpression cron = CronExpression.parse(expression);
        Instant end = Instant.parse(until);
        List<Instant> fires = new ArrayList<>();
        Instant t = cron.nextAfter(Instant.parse(from), zone).orElseThrow();
        while (!t.isAfter(end)) {
            fires.add(t);
            t = cron.nextAfter(t, zone).orElseThrow();
        }
        return fires;
    }
}
