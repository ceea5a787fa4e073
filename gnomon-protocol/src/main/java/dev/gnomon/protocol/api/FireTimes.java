package dev.gnomon.protocol.api;

import java.time.Instant;
import java.util.List;

/** The next fire times of a job's schedule, in UTC, with the zone the schedule is read in. */
public record FireTimes(String timeZone, List<Instant> times) {
}
