package dev.gnomon.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A server was down from just after 10:00 to 10:10:30; the tick due at 10:01 never fired. */
class MisfiresTest {

    private static final Instant CREATED = Instant.parse("2024-05-01T09:00:00Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(30);
    private static final Instant DUE = t("10:01:00");
    private static final Instant NOW = t("10:10:30");

    private static Instant t(String time) {
        return Instant.parse("2024-05-01T" + time + "Z");
    }

    private static Schedule everyMinute(MisfirePolicy policy, Integer bound) {
        return Schedule.of(ScheduleSpec.cron("* * * * *", null).withMisfire(policy, bound), CREATED);
    }

    @Test
    void fireOnceFiresOneInstanceKeyedByTheLatestMissedTick() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.FIRE_ONCE, null), DUE, NOW, THRESHOLD);

        assertThat(decision).isEqualTo(new MisfireDecision(
            List.of(t("10:10:00")), Optional.of(t("10:11:00")), 10, 9));
        assertThat(decision.describe()).isEqualTo(
            "missed 10 ticks; fired 1 (2024-05-01T10:10:00Z), dropped 9; next 2024-05-01T10:11:00Z");
    }

    @Test
    void fireOnceIsTheDefault() {
        assertThat(Misfires.resolve(everyMinute(null, null), DUE, NOW, THRESHOLD).fireNow())
            .containsExactly(t("10:10:00"));
    }

    @Test
    void skipFiresNothingAndWaitsForTheNextTick() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.SKIP, null), DUE, NOW, THRESHOLD);

        assertThat(decision.fireNow()).isEmpty();
        assertThat(decision.next()).contains(t("10:11:00"));
        assertThat(decision.missed()).isEqualTo(10);
        assertThat(decision.dropped()).isEqualTo(10);
        assertThat(decision.describe()).isEqualTo("missed 10 ticks; fired none, dropped 10; next 2024-05-01T10:11:00Z");
    }

    @Test
    void fireAllFiresTheLatestBoundTicksOldestFirst() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.FIRE_ALL, 3), DUE, NOW, THRESHOLD);

        assertThat(decision.fireNow()).containsExactly(t("10:08:00"), t("10:09:00"), t("10:10:00"));
        assertThat(decision.missed()).isEqualTo(10);
        assertThat(decision.dropped()).isEqualTo(7);
        assertThat(decision.next()).contains(t("10:11:00"));
        assertThat(decision.describe()).isEqualTo("missed 10 ticks; fired 3 (2024-05-01T10:08:00Z .."
            + " 2024-05-01T10:10:00Z), dropped 7; next 2024-05-01T10:11:00Z");
    }

    @Test
    void fireAllWithARoomyBoundFiresEveryMissedTick() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.FIRE_ALL, 50), DUE, NOW, THRESHOLD);

        assertThat(decision.fireNow()).hasSize(10).startsWith(t("10:01:00")).endsWith(t("10:10:00")).isSorted();
        assertThat(decision.dropped()).isZero();
    }

    @Test
    void aTickLateByNoMoreThanTheThresholdFiresNormally() {
        Schedule schedule = everyMinute(MisfirePolicy.SKIP, null);

        MisfireDecision late = Misfires.resolve(schedule, DUE, t("10:01:20"), THRESHOLD);
        MisfireDecision atThreshold = Misfires.resolve(schedule, DUE, t("10:01:30"), THRESHOLD);

        assertThat(late).isEqualTo(new MisfireDecision(List.of(DUE), Optional.of(t("10:02:00")), 0, 0));
        assertThat(atThreshold.fireNow()).containsExactly(DUE);
        assertThat(late.describe()).isEqualTo("fired 2024-05-01T10:01:00Z on time; next 2024-05-01T10:02:00Z");
        assertThat(Misfires.resolve(schedule, DUE, t("10:01:31"), THRESHOLD).fireNow()).isEmpty();
    }

    @Test
    void aTickNotYetDueFiresNothing() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.FIRE_ONCE, null), DUE, t("10:00:59"),
            THRESHOLD);

        assertThat(decision.fireNow()).isEmpty();
        assertThat(decision.next()).contains(DUE);
    }

    @Test
    void fixedDelayFiresOnceAfterDowntimeThenContinuesFromCompletion() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedDelay(Duration.ofMinutes(1))
            .withMisfire(MisfirePolicy.FIRE_ALL, 5), CREATED);

        MisfireDecision decision = Misfires.resolve(schedule, DUE, NOW, THRESHOLD);

        assertThat(decision).isEqualTo(new MisfireDecision(List.of(DUE), Optional.of(t("10:11:30")), 1, 0));
    }

    @Test
    void fixedDelaySkipWaitsOnePeriodFromNow() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedDelay(Duration.ofMinutes(1))
            .withMisfire(MisfirePolicy.SKIP, null), CREATED);

        MisfireDecision decision = Misfires.resolve(schedule, DUE, NOW, THRESHOLD);

        assertThat(decision).isEqualTo(new MisfireDecision(List.of(), Optional.of(t("10:11:30")), 1, 1));
    }

    @Test
    void aMissedOneShotFiresOnceAndEnds() {
        Schedule schedule = Schedule.of(ScheduleSpec.oneShot(DUE), CREATED);

        MisfireDecision decision = Misfires.resolve(schedule, DUE, NOW, THRESHOLD);

        assertThat(decision).isEqualTo(new MisfireDecision(List.of(DUE), Optional.empty(), 1, 0));
        assertThat(decision.describe()).isEqualTo("missed 1 tick; fired 1 (2024-05-01T10:01:00Z), dropped 0; no next tick");
    }

    @Test
    void missedTicksStopAtEndAt() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("* * * * *", null).withWindow(null, t("10:05:00"))
            .withMisfire(MisfirePolicy.FIRE_ALL, 3), CREATED);

        MisfireDecision decision = Misfires.resolve(schedule, DUE, NOW, THRESHOLD);

        assertThat(decision).isEqualTo(new MisfireDecision(
            List.of(t("10:03:00"), t("10:04:00"), t("10:05:00")), Optional.empty(), 5, 2));
    }

    @Test
    void theRepeatedAutumnHourAddsNoMissedTicks() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("*/15 * * * *", "Europe/Paris")
            .withMisfire(MisfirePolicy.FIRE_ALL, 10), CREATED);
        Instant due = Instant.parse("2024-10-27T00:45:00Z");

        MisfireDecision decision = Misfires.resolve(schedule, due, Instant.parse("2024-10-27T01:50:00Z"), THRESHOLD);

        assertThat(decision.fireNow()).containsExactly(due);
        assertThat(decision.next()).contains(Instant.parse("2024-10-27T02:00:00Z"));
    }

    @Test
    void aLongDowntimeStopsCountingButStillFiresTheLatestTicks() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedRate(Duration.ofSeconds(1))
            .withMisfire(MisfirePolicy.FIRE_ALL, 3), CREATED);
        Instant now = DUE.plus(Duration.ofDays(2));

        MisfireDecision decision = Misfires.resolve(schedule, DUE, now, THRESHOLD);

        assertThat(decision.fireNow()).containsExactly(now.minusSeconds(2), now.minusSeconds(1), now);
        assertThat(decision.next()).contains(now.plusSeconds(1));
        assertThat(decision.missed()).isBetween((long) Misfires.MAX_SCAN, Duration.ofDays(2).toSeconds() + 1);
        assertThat(decision.dropped()).isEqualTo(decision.missed() - 3);
        assertThat(decision.describe()).startsWith("missed at least ");
    }

    @Test
    void aLongDowntimeOfAnIrregularCronFindsItsLatestTick() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("* * 9-17 ? * MON-FRI", "Europe/Paris"), CREATED);
        Instant now = Instant.parse("2024-05-07T05:00:00Z"); // Tuesday 07:00 in Paris

        MisfireDecision decision = Misfires.resolve(schedule, DUE, now, THRESHOLD, 1_000);

        assertThat(decision.fireNow()).containsExactly(Instant.parse("2024-05-06T15:59:59Z")); // Monday 17:59:59
        assertThat(decision.next()).contains(Instant.parse("2024-05-07T07:00:00Z"));
        assertThat(decision.missed()).isBetween(1_000L, 118_740L);
    }

    @Test
    void aTailScanThatMeetsTheCountedTicksKeepsAnExactCount() {
        MisfireDecision decision = Misfires.resolve(everyMinute(MisfirePolicy.FIRE_ALL, 3), DUE, NOW, THRESHOLD, 5);

        assertThat(decision.fireNow()).containsExactly(t("10:08:00"), t("10:09:00"), t("10:10:00"));
        assertThat(decision.missed()).isEqualTo(10);
        assertThat(decision.dropped()).isEqualTo(7);
    }

    @Test
    void countingUpToTheLimitIsExact() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("* * 9-17 ? * MON-FRI", "Europe/Paris")
            .withMisfire(MisfirePolicy.FIRE_ALL, 2), CREATED);
        Instant now = Instant.parse("2024-05-02T07:00:10Z"); // Thursday 09:00:10 in Paris

        MisfireDecision decision = Misfires.resolve(schedule, DUE, now, THRESHOLD, 100_000);

        // Wednesday 12:01:00-17:59:59 and Thursday 09:00:00-09:00:10 in Paris
        assertThat(decision.missed()).isEqualTo(6 * 3600 - 60 + 11);
        assertThat(decision.fireNow()).containsExactly(now.minusSeconds(1), now);
    }
}
