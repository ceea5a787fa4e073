package dev.gnomon.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The ticks of a schedule in [due, now]: how many, and the latest few, oldest first.
 *
 * <p>Counting stops after {@code limit} ticks; the count is then a floor. The latest ticks are
 * still exact: a short scan that ends at now finds them, its window searched until it holds
 * enough ticks without exceeding its own small budget.
 */
record MissedTicks(long count, List<Instant> latest) {

    private static final int MAX_WINDOW_TRIES = 128;

    static MissedTicks scan(Schedule schedule, Instant due, Instant now, int keep, long limit) {
        Scan head = Scan.run(schedule, Optional.of(due), now, keep, limit);
        if (head.reachedNow || keep == 0) {
            return new MissedTicks(head.count, List.copyOf(head.latest));
        }
        long tailBudget = 8L * (keep + 1);
        Duration period = Duration.between(due, head.last).dividedBy(Math.max(1, head.count - 1));
        Duration window = max(period.multipliedBy(2L * (keep + 1)), Duration.ofSeconds(1));
        Duration tooShort = null;
        Duration tooLong = null;
        for (int i = 0; i < MAX_WINDOW_TRIES; i++) {
            Instant start = now.minus(window);
            boolean joined = !start.isAfter(head.last);
            Scan tail = Scan.run(schedule, schedule.nextAfter(joined ? head.last : start), now, keep,
                joined ? limit : tailBudget);
            if (!tail.reachedNow) {
                tooLong = window;
            } else if (tail.count < keep && !joined) {
                tooShort = window;
            } else {
                return new MissedTicks(head.count + tail.count, List.copyOf(merge(head, tail, keep, joined)));
            }
            // Ticks can be irregular (office hours only), so the window is bisected, not just scaled.
            window = tooShort == null ? tooLong.dividedBy(2)
                : tooLong == null ? tooShort.multipliedBy(2)
                : tooShort.plus(tooLong).dividedBy(2);
        }
        return new MissedTicks(head.count, List.copyOf(head.latest));
    }

    private static Deque<Instant> merge(Scan head, Scan tail, int keep, boolean joined) {
        if (!joined || tail.latest.size() >= keep) {
            return tail.latest;
        }
        Deque<Instant> merged = new ArrayDeque<>(head.latest);
        for (Instant t : tail.latest) {
            Scan.keep(merged, t, keep);
        }
        return merged;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One forward pass over ticks up to now, within a budget. */
    private static final class Scan {
        long count;
        Instant last;
        boolean reachedNow;
        final Deque<Instant> latest = new ArrayDeque<>();

        static Scan run(Schedule schedule, Optional<Instant> first, Instant now, int keep, long budget) {
            Scan scan = new Scan();
            Optional<Instant> tick = first;
            while (tick.isPresent() && !tick.get().isAfter(now)) {
                if (scan.count == budget) {
                    return scan;
                }
                scan.count++;
                scan.last = tick.get();
                keep(scan.latest, scan.last, keep);
                tick = schedule.nextAfter(scan.last);
            }
            scan.reachedNow = true;
            return scan;
        }

        static void keep(Deque<Instant> latest, Instant tick, int keep) {
            if (keep == 0) {
                return;
            }
            if (latest.size() == keep) {
                latest.removeFirst();
            }
            latest.addLast(tick);
        }
    }
}
