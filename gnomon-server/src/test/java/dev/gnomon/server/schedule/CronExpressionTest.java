package dev.gnomon.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.server.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void unixFormHasFiveFieldsStartingWithTheMinute() {
        CronExpression cron = CronExpression.parse("30 2 * * *");

        assertThat(cron.nextAfter(Instant.parse("2024-05-01T00:00:00Z"), UTC))
            .contains(Instant.parse("2024-05-01T02:30:00Z"));
    }

    @Test
    void unixDayOfWeekSevenIsSundayAndEitherDayFieldMatches() {
        CronExpression sunday = CronExpression.parse("0 12 * * 7");
        CronExpression thirteenthOrFriday = CronExpression.parse("0 0 13 * 5");

        assertThat(sunday.nextAfter(Instant.parse("2024-05-01T00:00:00Z"), UTC))
            .contains(Instant.parse("2024-05-05T12:00:00Z"));
        assertThat(thirteenthOrFriday.nextAfter(Instant.parse("2024-01-06T00:00:00Z"), UTC))
            .contains(Instant.parse("2024-01-12T00:00:00Z"));
        assertThat(thirteenthOrFriday.nextAfter(Instant.parse("2024-01-12T00:00:00Z"), UTC))
            .contains(Instant.parse("2024-01-13T00:00:00Z"));
    }

    @Test
    void quartzFormHasSecondsAndAnOptionalYear() {
        CronExpression everyTenSeconds = CronExpression.parse("*/10 * * * * ?");
        CronExpression lastFridayOf2030 = CronExpression.parse("0 0 9 ? 12 6L 2030");

        assertThat(everyTenSeconds.nextAfter(Instant.parse("2024-05-01T10:00:05Z"), UTC))
            .contains(Instant.parse("2024-05-01T10:00:10Z"));
        assertThat(lastFridayOf2030.nextAfter(Instant.parse("2024-05-01T00:00:00Z"), UTC))
            .contains(Instant.parse("2030-12-27T09:00:00Z"));
        assertThat(lastFridayOf2030.nextAfter(Instant.parse("2030-12-27T09:00:00Z"), UTC)).isEmpty();
    }

    @Test
    void nextIsStrictlyAfterEvenWithAFractionOfASecond() {
        CronExpression everySecond = CronExpression.parse("* * * * * ?");

        assertThat(everySecond.nextAfter(Instant.parse("2024-05-01T10:00:00Z"), UTC))
            .contains(Instant.parse("2024-05-01T10:00:01Z"));
        assertThat(everySecond.nextAfter(Instant.parse("2024-05-01T10:00:00.500Z"), UTC))
            .contains(Instant.parse("2024-05-01T10:00:01Z"));
        assertThat(everySecond.nextAfter(Instant.parse("2024-05-01T10:00:00.999999999Z"), UTC))
            .contains(Instant.parse("2024-05-01T10:00:01Z"));
    }

    @Test
    void aDateThatNeverComesHasNoNextFire() {
        assertThat(CronExpression.parse("0 0 31 2 *").nextAfter(Instant.parse("2024-01-01T00:00:00Z"), UTC)).isEmpty();
    }

    @Test
    void keepsTheExpressionWithoutSurroundingBlanks() {
        CronExpression cron = CronExpression.parse("  0 12 * * 1-5 ");

        assertThat(cron.expression()).isEqualTo("0 12 * * 1-5");
        assertThat(cron).hasToString("CronExpression[0 12 * * 1-5]").isEqualTo(CronExpression.parse("0 12 * * 1-5"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 25 * * *        | cron field 'hour' is 25; allowed 0-23",
        "60 * * * *        | cron field 'minute' is 60; allowed 0-59",
        "0 0 32 * *        | cron field 'day-of-month' is 32; allowed 1-31",
        "0 0 1 13 *        | cron field 'month' is 13; allowed 1-12 or JAN-DEC",
        "0 0 * * 8         | cron field 'day-of-week' is 8; allowed 0-7 (0 and 7 are Sunday) or SUN-SAT",
        "0 0 25 * * ?      | cron field 'hour' is 25; allowed 0-23",
        "61 0 0 * * ?      | cron field 'second' is 61; allowed 0-59",
        "0 0 0 ? * 8       | cron field 'day-of-week' is 8; allowed 1-7 (1 is Sunday) or SUN-SAT",
        "0 0 0 * * ? 1969  | cron field 'year' is 1969; allowed 1970-2099",
        "0-70 * * * *      | cron field 'minute' is '0-70'; 70 is outside the allowed 0-59",
        "*/0 * * * *       | cron field 'minute' is '*/0'; the step 0 is not allowed, use a step of 1-59",
        "0 0 * * MON-FOO   | cron field 'day-of-week' is 'MON-FOO'; use a value in 0-7 (0 and 7 are Sunday) or SUN-SAT,"
            + " '*', a range (1-5), a list (1,3,5) or a step (*/5)",
        "hello world foo bar baz | cron field 'minute' is 'hello'; use a value in 0-59,"
            + " '*', a range (1-5), a list (1,3,5) or a step (*/5)",
    })
    void aFieldOutOfRangeIsNamedWithWhatItAllows(String expression, String message) {
        assertThatThrownBy(() -> CronExpression.parse(expression))
            .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.field()).isEqualTo("schedule.cron");
                assertThat(e.getMessage()).isEqualTo(message);
            });
    }

    @Test
    void quartzFormNeedsAQuestionMarkInOneDayField() {
        assertThatThrownBy(() -> CronExpression.parse("0 30 2 * * *"))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("cron expression '0 30 2 * * *' sets both day-of-month and day-of-week;"
                + " in the Quartz form one of them must be '?', e.g. '0 30 2 * * ?'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "* * * *         | cron expression '* * * *' has 4 fields",
        "0 0 0 * * ? * * | cron expression '0 0 0 * * ? * *' has 8 fields",
        "@daily          | cron expression '@daily' has 1 field;",
    })
    void aWrongNumberOfFieldsSaysWhichFormsAreAllowed(String expression, String start) {
        assertThatThrownBy(() -> CronExpression.parse(expression))
            .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.field()).isEqualTo("schedule.cron");
                assertThat(e.getMessage()).startsWith(start)
                    .contains("5 fields (Unix: minute hour day-of-month month day-of-week")
                    .contains("6-7 fields (Quartz: second minute hour day-of-month month day-of-week [year]");
            });
    }

    @Test
    void anEmptyExpressionIsRejected() {
        for (String empty : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> CronExpression.parse(empty))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("schedule.cron");
                    assertThat(e.getMessage()).startsWith("cron expression is empty; use 5 fields");
                });
        }
    }
}
