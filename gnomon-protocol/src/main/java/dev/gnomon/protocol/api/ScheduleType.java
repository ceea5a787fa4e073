package dev.gnomon.protocol.api;

public enum ScheduleType {
    /** A cron expression: Quartz form with seconds, or the 5-field Unix form, in a time zone. */
    CRON,
    /** Every {@code every}, anchored at the start date (or the job's creation). */
    FIXED_RATE,
    /** {@code every} after the end of the previous run. */
    FIXED_DELAY,
    /** Once, at {@code at}. */
    ONE_SHOT,
    /** Only when triggered through the API. */
    API
}
