package dev.gnomon.server.dispatch;

import static dev.gnomon.protocol.api.InstanceState.DISPATCHED;
import static dev.gnomon.protocol.api.InstanceState.FAILED;
import static dev.gnomon.protocol.api.InstanceState.RUNNING;
import static dev.gnomon.protocol.api.InstanceState.SKIPPED;
import static dev.gnomon.protocol.api.InstanceState.STOPPED;
import static dev.gnomon.protocol.api.InstanceState.SUCCEEDED;
import static dev.gnomon.protocol.api.InstanceState.TIMED_OUT;
import static dev.gnomon.protocol.api.InstanceState.WAITING;

import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.ConflictException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed instance state changes. WAITING is also where an instance goes
 * back to between attempts (retry with backoff) and when its worker is lost.
 */
public final class InstanceTransitions {

    private static final Map<InstanceState, Set<InstanceState>> ALLOWED = new EnumMap<>(InstanceState.class);

    static {
        ALLOWED.put(WAITING, EnumSet.of(DISPATCHED, STOPPED, FAILED, SKIPPED));
        ALLOWED.put(DISPATCHED, EnumSet.of(RUNNING, WAITING, SUCCEEDED, FAILED, STOPPED, TIMED_OUT));
        ALLOWED.put(RUNNING, EnumSet.of(WAITING, SUCCEEDED, FAILED, STOPPED, TIMED_OUT));
        for (InstanceState s : InstanceState.values()) {
            ALLOWED.putIfAbsent(s, EnumSet.noneOf(InstanceState.class));
        }
    }

    private InstanceTransitions() {
    }

    public static boolean allowed(InstanceState from, InstanceState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The states from which {@code to} may be reached. */
    public static Set<InstanceState> sourcesOf(InstanceState to) {
        Set<InstanceState> out = EnumSet.noneOf(InstanceState.class);
        ALLOWED.forEach((from, targets) -> {
            if (targets.contains(to)) {
                out.add(from);
            }
        });
        return out;
    }

    /** @throws ConflictException naming both states when the change is not allowed */
    public static void check(long instanceId, InstanceState from, InstanceState to) {
        if (!allowed(from, to)) {
            throw new ConflictException("instance " + instanceId + " is " + from + " and cannot become " + to
                + (from.terminal() ? "; it has ended (retry creates a new instance)" : ""));
        }
    }
}
