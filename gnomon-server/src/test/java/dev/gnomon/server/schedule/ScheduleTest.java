package dev.gnomon.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final Instant CREATED = Instant.parse("2024-05-01T10:00:07Z");

    private static Instant t(String time) {
        return Instant.parse("2024-05-01T" + time + "Z");
    }

    @Test
    void cronFiresOnItsTicksInItsZone() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("0 9 * * *", "Europe/Paris"), CREATED);

        assertThat(schedule.nextAfter(CREATED)).contains(Instant.parse("2024-05-02T07:00:00Z"));
    }

    @Test
    void cronRespectsStartAndEnd() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("0 * * * *", null).withWindow(t("10:30:00"), t("13:00:00")),
            CREATED);

        assertThat(schedule.nextAfter(t("08:00:00"))).contains(t("11:00:00"));
        assertThat(schedule.nextAfter(t("12:00:00"))).contains(t("13:00:00"));
        assertThat(schedule.nextAfter(t("13:00:00"))).isEmpty();
    }

    @Test
    void aTickAtStartAtFires() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("0 * * * *", null).withWindow(t("11:00:00"), null), CREATED);

        assertThat(schedule.nextAfter(t("08:00:00"))).contains(t("11:00:00"));
    }

    @Test
    void fixedRateCountsFromCreationWithoutStartAt() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedRate(Duration.ofHours(1)), CREATED);

        assertThat(schedule.nextAfter(CREATED)).contains(t("11:00:07"));
        assertThat(schedule.nextAfter(t("11:00:07"))).contains(t("12:00:07"));
        assertThat(schedule.nextAfter(t("11:30:00"))).contains(t("12:00:07"));
        assertThat(schedule.drivenByCompletion()).isFalse();
    }

    @Test
    void fixedRateCountsFromStartAtAndStopsAtEndAt() {
        Schedule schedule = Schedule.of(
            ScheduleSpec.fixedRate(Duration.ofMinutes(30)).withWindow(t("12:00:00"), t("13:00:00")), CREATED);

        assertThat(schedule.preview(CREATED, 10)).containsExactly(t("12:00:00"), t("12:30:00"), t("13:00:00"));
    }

    @Test
    void fixedRateFarFromItsBaseStaysOnTheGrid() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedRate(Duration.ofSeconds(7)), CREATED);

        assertThat(schedule.nextAfter(CREATED.plus(Duration.ofDays(3650)))).contains(
            CREATED.plus(Duration.ofDays(3650)).plusSeconds(7 - Duration.ofDays(3650).toSeconds() % 7));
    }

    @Test
    void fixedDelayRunsEveryAfterThePreviousEnd() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedDelay(Duration.ofMinutes(5)), CREATED);

        assertThat(schedule.drivenByCompletion()).isTrue();
        assertThat(schedule.nextAfter(CREATED)).contains(t("10:05:07"));
        assertThat(schedule.nextAfter(t("10:07:30"))).contains(t("10:12:30"));
    }

    @Test
    void fixedDelayFirstRunsAtStartAt() {
        Schedule schedule = Schedule.of(
            ScheduleSpec.fixedDelay(Duration.ofHours(1)).withWindow(t("10:01:00"), t("12:00:00")), CREATED);

        assertThat(schedule.nextAfter(CREATED)).contains(t("10:01:00"));
        assertThat(schedule.nextAfter(t("10:20:00"))).contains(t("11:20:00"));
        assertThat(schedule.nextAfter(t("11:20:00"))).isEmpty();
    }

    @Test
    void oneShotFiresOnlyAtAt() {
        Schedule schedule = Schedule.of(ScheduleSpec.oneShot(t("12:00:00")), CREATED);

        assertThat(schedule.nextAfter(t("11:00:00"))).contains(t("12:00:00"));
        assertThat(schedule.nextAfter(t("12:00:00"))).isEmpty();
        assertThat(schedule.preview(CREATED, 5)).containsExactly(t("12:00:00"));
    }

    @Test
    void apiNeverFiresByItself() {
        Schedule schedule = Schedule.of(ScheduleSpec.api(), CREATED);

        assertThat(schedule.nextAfter(CREATED)).isEmpty();
        assertThat(schedule.preview(CREATED, 5)).isEmpty();
    }

    @Test
    void previewListsTheNextTicks() {
        Schedule schedule = Schedule.of(ScheduleSpec.cron("*/15 * * * *", "Europe/Paris"), CREATED);

        assertThat(schedule.preview(CREATED, 3)).containsExactly(t("10:15:00"), t("10:30:00"), t("10:45:00"));
        assertThat(schedule.preview(CREATED, 100)).hasSize(100).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void fixedDelayPreviewAssumesRunsTakeNoTime() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedDelay(Duration.ofMinutes(10)), CREATED);

        assertThat(schedule.preview(CREATED, 3)).containsExactly(t("10:10:07"), t("10:20:07"), t("10:30:07"));
    }

    @Test
    void previewCountIsOneToOneHundred() {
        Schedule schedule = Schedule.of(ScheduleSpec.fixedRate(Duration.ofMinutes(1)), CREATED);

        for (int count : new int[] {0, -1, 101}) {
            assertThatThrownBy(() -> schedule.preview(CREATED, count))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("count");
                    assertThat(e.getMessage()).isEqualTo("count is " + count + "; allowed 1-100");
                });
        }
    }

    @Test
    void keepsItsSpec() {
        ScheduleSpec spec = ScheduleSpec.fixedRate(Duration.ofMinutes(1));

        assertThat(Schedule.of(spec, CREATED).spec()).isSameAs(spec);
    }
}
