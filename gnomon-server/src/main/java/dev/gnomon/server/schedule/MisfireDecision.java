package dev.gnomon.server.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do with a job's due tick, after {@link Misfires#resolve}.
 *
 * @param fireNow the scheduled times to fire now, oldest first; each is the key of one instance
 * @param next    the tick to wait for after these, or empty when the schedule fires no more
 * @param missed  how many ticks were missed; 0 when the due tick is on time. Ticks beyond
 *                {@link Misfires#MAX_SCAN} are not all counted, so a count that large is a floor
 * @param dropped how many of the missed ticks will never fire
 */
public record MisfireDecision(List<Instant> fireNow, Optional<Instant> next, long missed, long dropped) {

    public MisfireDecision {
        fireNow = List.copyOf(fireNow);
        Objects.requireNonNull(next, "next");
        if (missed < 0 || dropped < 0 || dropped > missed) {
            throw new IllegalArgumentException("missed " + missed + " and dropped " + dropped + " do not fit");
        }
    }

    /** One line for the server log, such as "missed 10 ticks; fired 1 (...), dropped 9; next ....". */
    public String describe() {
        String then = next.map(t -> "; next " + t).orElse("; no next tick");
        if (missed == 0) {
            return (fireNow.isEmpty() ? "nothing due" : "fired " + fireNow.get(0) + " on time") + then;
        }
        String count = (missed >= Misfires.MAX_SCAN ? "at least " : "") + missed + (missed == 1 ? " tick" : " ticks");
        String fired = fireNow.isEmpty() ? "fired none"
            : fireNow.size() == 1 ? "fired 1 (" + fireNow.get(0) + ")"
            : "fired " + fireNow.size() + " (" + fireNow.get(0) + " .. " + fireNow.get(fireNow.size() - 1) + ")";
        return "missed " + count + "; " + fired + ", dropped " + dropped + then;
    }
}
