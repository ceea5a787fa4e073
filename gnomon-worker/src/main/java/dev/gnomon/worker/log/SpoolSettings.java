package dev.gnomon.worker.log;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how much the log spool keeps.
 *
 * @param dir      directory of the spool files; null for a new temporary directory that is
 *                 deleted when the worker closes (then a restarted worker cannot resend them)
 * @param maxBytes most bytes the spool files take; past it the oldest unacknowledged lines are dropped
 * @param maxAge   unacknowledged lines older than this are dropped
 */
public record SpoolSettings(Path dir, long maxBytes, Duration maxAge) {

    /** Smallest size limit: room for a few segments of lines. */
    public static final long MIN_BYTES = 64 * 1024;

    public SpoolSettings {
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("log spool size is " + maxBytes + " bytes; allowed " + MIN_BYTES
                + " (64KB) or more");
        }
        if (maxAge == null || maxAge.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("log spool age limit is " + maxAge + "; allowed 1s or more");
        }
    }

    /** Bytes of one spool file: small against the limit, so that dropping one frees little at a time. */
    long segmentBytes() {
        return Math.max(16 * 1024, Math.min(maxBytes / 16, 4L * 1024 * 1024));
    }
}
