package dev.gnomon.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.MisfirePolicy;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ScheduleType;
import dev.gnomon.server.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ScheduleValidationTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void typeIsRequired() {
        rejected(new ScheduleSpec(null, null, null, null, null, null, null, null, null), "schedule.type")
            .hasMessage("schedule type is required; one of [CRON, FIXED_RATE, FIXED_DELAY, ONE_SHOT, API]");
    }

    @Test
    void cronNeedsAnExpression() {
        rejected(ScheduleSpec.cron(null, null), "schedule.cron")
            .hasMessage("a CRON schedule needs a cron expression, e.g. '30 2 * * *' or '0 30 2 * * ?'");
    }

    @Test
    void cronExpressionErrorsNameTheCronField() {
        rejected(ScheduleSpec.cron("0 25 * * *", "Europe/Paris"), "schedule.cron")
            .hasMessage("cron field 'hour' is 25; allowed 0-23");
    }

    @Test
    void timeZoneDefaultsToUtc() {
        assertThat(Schedule.of(ScheduleSpec.cron("0 * * * *", null), NOW).zone().getId()).isEqualTo("UTC");
        assertThat(Schedule.of(ScheduleSpec.cron("0 * * * *", "Europe/Paris"), NOW).zone())
            .isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void anUnknownTimeZoneIsNamedWithAnExample() {
        rejected(ScheduleSpec.cron("0 * * * *", "Mars/Olympus"), "schedule.timeZone")
            .hasMessage("time zone 'Mars/Olympus' is unknown; use an IANA time zone id such as Europe/Paris,"
                + " America/New_York or UTC");
    }

    @Test
    void aMisspelledTimeZoneGetsASuggestion() {
        rejected(ScheduleSpec.cron("0 * * * *", "europe/paris"), "schedule.timeZone")
            .hasMessage("time zone 'europe/paris' is unknown; did you mean Europe/Paris?");
    }

    @Test
    void aFixedOffsetIsNotATimeZone() {
        rejected(ScheduleSpec.cron("0 * * * *", "+02:00"), "schedule.timeZone")
            .hasMessageStartingWith("time zone '+02:00' is unknown");
    }

    @Test
    void periodicSchedulesNeedEvery() {
        rejected(ScheduleSpec.fixedRate(null), "schedule.every")
            .hasMessage("a FIXED_RATE schedule needs 'every', an ISO-8601 duration of at least 1 second such as PT30S");
        rejected(ScheduleSpec.fixedDelay(null), "schedule.every")
            .hasMessageStartingWith("a FIXED_DELAY schedule needs 'every'");
    }

    @Test
    void everyIsAtLeastOneSecond() {
        rejected(ScheduleSpec.fixedRate(Duration.ofMillis(500)), "schedule.every")
            .hasMessage("every is PT0.5S; it must be at least 1 second (PT1S)");
        rejected(ScheduleSpec.fixedDelay(Duration.ofSeconds(-5)), "schedule.every")
            .hasMessage("every is PT-5S; it must be at least 1 second (PT1S)");
        rejected(ScheduleSpec.fixedDelay(Duration.ZERO), "schedule.every");
        assertThat(Schedule.of(ScheduleSpec.fixedRate(Duration.ofSeconds(1)), NOW).nextAfter(NOW))
            .contains(NOW.plusSeconds(1));
    }

    @Test
    void oneShotNeedsAt() {
        rejected(ScheduleSpec.oneShot(null), "schedule.at")
            .hasMessage("a ONE_SHOT schedule needs 'at', the instant to run, e.g. 2030-01-01T09:00:00Z");
    }

    @Test
    void apiNeedsNothing() {
        assertThat(Schedule.of(ScheduleSpec.api(), NOW).nextAfter(NOW)).isEmpty();
    }

    @Test
    void endAtMustBeAfterStartAt() {
        ScheduleSpec spec = ScheduleSpec.fixedRate(Duration.ofMinutes(1)).withWindow(NOW, NOW);

        rejected(spec, "schedule.endAt")
            .hasMessage("endAt 2024-05-01T10:00:00Z must be after startAt 2024-05-01T10:00:00Z");
        rejected(spec.withWindow(NOW, NOW.minusSeconds(1)), "schedule.endAt");
    }

    @Test
    void misfireBoundIsOneToOneThousand() {
        ScheduleSpec spec = ScheduleSpec.fixedRate(Duration.ofMinutes(1));

        rejected(spec.withMisfire(MisfirePolicy.FIRE_ALL, 0), "schedule.misfireBound")
            .hasMessage("misfireBound is 0; allowed 1-1000");
        rejected(spec.withMisfire(MisfirePolicy.FIRE_ALL, 1001), "schedule.misfireBound")
            .hasMessage("misfireBound is 1001; allowed 1-1000");
        assertThat(Schedule.of(spec.withMisfire(MisfirePolicy.FIRE_ALL, 1000), NOW).misfireBound()).isEqualTo(1000);
        assertThat(Schedule.of(spec.withMisfire(MisfirePolicy.FIRE_ALL, 1), NOW).misfireBound()).isEqualTo(1);
    }

    @Test
    void misfireBoundOnlyGoesWithFireAll() {
        rejected(ScheduleSpec.fixedRate(Duration.ofMinutes(1)).withMisfire(MisfirePolicy.SKIP, 5), "schedule.misfireBound")
            .hasMessage("misfireBound applies only to misfire FIRE_ALL; remove it or set misfire to FIRE_ALL");
    }

    @Test
    void misfireDefaultsToFireOnceWithABoundOfTen() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("0 * * * *", null), NOW);

        assertThat(schedule.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(schedule.misfireBound()).isEqualTo(10);
    }

    @Test
    void fieldsOfAnotherTypeAreNamed() {
        rejected(new ScheduleSpec(ScheduleType.FIXED_RATE, "0 * * * *", null, Duration.ofMinutes(1), null, null, null,
            null, null), "schedule.cron")
            .hasMessage("'cron' does not apply to a FIXED_RATE schedule; remove it");
        rejected(new ScheduleSpec(ScheduleType.FIXED_DELAY, null, "UTC", Duration.ofMinutes(1), null, null, null,
            null, null), "schedule.timeZone");
        rejected(new ScheduleSpec(ScheduleType.CRON, "0 * * * *", null, Duration.ofMinutes(1), null, null, null,
            null, null), "schedule.every");
        rejected(new ScheduleSpec(ScheduleType.CRON, "0 * * * *", null, null, NOW, null, null, null, null),
            "schedule.at");
        rejected(ScheduleSpec.oneShot(NOW).withWindow(NOW, null), "schedule.startAt")
            .hasMessage("'startAt' does not apply to a ONE_SHOT schedule; remove it");
        rejected(ScheduleSpec.api().withWindow(null, NOW), "schedule.endAt");
        rejected(ScheduleSpec.api().withMisfire(MisfirePolicy.SKIP, null), "schedule.misfire");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejected(ScheduleSpec spec, String field) {
        return assertThatThrownBy(() -> Schedule.of(spec, NOW))
            .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
