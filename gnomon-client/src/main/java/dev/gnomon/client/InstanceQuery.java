package dev.gnomon.client;

import dev.gnomon.protocol.api.InstanceState;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which instances {@link Instances#list(InstanceQuery)} returns. Absent (null or empty) criteria
 * do not filter. Immutable: each {@code with} method returns a new query.
 *
 * <pre>{@code InstanceQuery.all().withApp("billing").withStates(FAILED, TIMED_OUT).withLimit(20)}</pre>
 *
 * @param app    only instances of this app
 * @param job    only instances of this job id
 * @param states only instances in one of these states
 * @param offset items to skip
 * @param limit  page size
 */
public record InstanceQuery(String app, Long job, Set<InstanceState> states, Integer offset, Integer limit) {

    public InstanceQuery {
        // EnumSet keeps the states in declaration order, so the query string is stable.
        states = states == null || states.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(states));
    }

    /** A query that matches every instance, with the server's default page. */
    public static InstanceQuery all() {
        return new InstanceQuery(null, null, Set.of(), null, null);
    }

    public InstanceQuery withApp(String app) {
        return new InstanceQuery(app, job, states, offset, limit);
    }

    public InstanceQuery withJob(Long job) {
        return new InstanceQuery(app, job, states, offset, limit);
    }

    public InstanceQuery withStates(InstanceState... states) {
        return withStates(Set.copyOf(Arrays.asList(states)));
    }

    public InstanceQuery withStates(Set<InstanceState> states) {
        return new InstanceQuery(app, job, states, offset, limit);
    }

    public InstanceQuery withOffset(Integer offset) {
        return new InstanceQuery(app, job, states, offset, limit);
    }

    public InstanceQuery withLimit(Integer limit) {
        return new InstanceQuery(app, job, states, offset, limit);
    }
}
