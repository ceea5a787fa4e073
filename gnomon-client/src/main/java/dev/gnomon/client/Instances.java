package dev.gnomon.client;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.RefusedReport;
import dev.gnomon.protocol.api.TaskCounts;
import dev.gnomon.protocol.api.TaskResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Consumer;

/** Instances: runs of jobs. Obtained from {@link GnomonClient#instances()}. */
public final class Instances {

    private final Http http;

    Instances(Http http) {
        this.http = http;
    }

    /** One page of instances matching the query, newest first. */
    public Page<InstanceResource> list(InstanceQuery query) {
        Paths path = Paths.of("instances")
            .query("app", query.app())
            .query("job", query.job());
        for (InstanceState state : query.states()) {
            path.query("state", state);
        }
        path.query("offset", query.offset()).query("limit", query.limit());
        return http.call("GET", path.toString(), null, http.pageOf(InstanceResource.class));
    }

    /** The instance with this id. */
    public InstanceResource get(long id) {
        return http.call("GET", instance(id).toString(), null, http.type(InstanceResource.class));
    }

    /** Asks the instance to stop; the answer shows its state at the time of the call. */
    public InstanceResource stop(long id) {
        return http.call("POST", instance(id).segment("stop").toString(), null, http.type(InstanceResource.class));
    }

    /** Starts a new instance with the same job and parameters (trigger {@code MANUAL_RETRY}). */
    public InstanceResource retry(long id) {
        return http.call("POST", instance(id).segment("retry").toString(), null, http.type(InstanceResource.class));
    }

    /**
     * One page of the instance's log lines, ordered by attempt then sequence number.
     *
     * @param offset lines to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<LogEntry> log(long id, Integer offset, Integer limit) {
        String path = instance(id).segment("log").query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(LogEntry.class));
    }

    /**
     * One page of the reports the server refused for this instance, oldest first: what workers
     * said about attempts that had already ended or been replaced (such as the late result of a
     * worker that was declared lost). They were acknowledged and never applied.
     *
     * @param offset reports to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<RefusedReport> refusedReports(long id, Integer offset, Integer limit) {
        String path = instance(id).segment("refused-reports").query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(RefusedReport.class));
    }

    /**
     * One page of the instance's task attempts, in the order they were made.
     *
     * @param states only attempts in these states (such as {@code RUNNING}, {@code WORKER_LOST}); empty for all
     * @param offset attempts to skip, or {@code null} for 0
     * @param limit  page size, or {@code null} for the server's default (100)
     */
    public Page<TaskResource> tasks(long id, Collection<String> states, Integer offset, Integer limit) {
        Paths path = instance(id).segment("tasks");
        for (String state : states) {
            path.query("state", state);
        }
        path.query("offset", offset).query("limit", limit);
        return http.call("GET", path.toString(), null, http.pageOf(TaskResource.class));
    }

    /** How many task attempts of the instance are in each state. */
    public TaskCounts taskCounts(long id) {
        return http.call("GET", instance(id).segment("tasks").segment("counts").toString(), null,
            http.type(TaskCounts.class));
    }

    /**
     * Reads the whole log as text, one line per entry ({@code attempt seq time LEVEL text}), and
     * hands each line to {@code sink} as it arrives; returns the number of lines.
     *
     * @param minLevel only lines at this level or above, or {@code null} for all
     * @param contains only lines holding this text, or {@code null} for all
     */
    public long logText(long id, LogLevel minLevel, String contains, Consumer<String> sink) {
        String path = instance(id).segment("log").segment("text").query("level", minLevel)
            .query("contains", contains).toString();
        long n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(http.open(path, "text/plain"),
            StandardCharsets.UTF_8), 64 * 1024)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                sink.accept(line);
                n++;
            }
        } catch (IOException e) {
            throw new GnomonConnectionException(path, "the log download broke off after " + n + " lines: " + e, e);
        }
        return n;
    }

    /**
     * Follows the log live: the lines stored so far, then new ones as they come, each handed to
     * {@code sink} once, until the instance has ended and its log is complete. A broken
     * connection is resumed where it stopped, up to {@value #FOLLOW_RETRIES} times in a row.
     *
     * @return the state the instance ended in
     */
    public InstanceState follow(long id, LogLevel minLevel, String contains, Consumer<LogEntry> sink) {
        String path = instance(id).segment("log").segment("stream").query("level", minLevel)
            .query("contains", contains).toString();
        LogEvents events = new LogEvents(sink, null);
        int failures = 0;
        while (true) {
            String before = events.lastId();
            Exception broke = null;
            try (InputStream in = before == null ? http.open(path, "text/event-stream")
                : http.open(path, "text/event-stream", "Last-Event-ID", before)) {
                InstanceState end = events.read(in);
                if (end != null) {
                    return end;
                }
            } catch (IOException | GnomonConnectionException e) {
                broke = e;
            }
            // a connection that brought lines resets the count: only failures in a row give up
            failures = java.util.Objects.equals(before, events.lastId()) ? failures + 1 : 1;
            if (failures >= FOLLOW_RETRIES) {
                throw new GnomonConnectionException(path, "the live log broke off " + failures + " times in a row"
                    + (broke == null ? " without an end event" : ": " + broke.getMessage()), broke);
            }
            pause(failures);
        }
    }

    /** Consecutive broken connections {@link #follow} resumes from before it gives up. */
    public static final int FOLLOW_RETRIES = 10;

    private static void pause(int failures) {
        try {
            Thread.sleep(Math.min(5_000L, 200L * (1L << Math.min(failures, 5))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GnomonConnectionException("log stream", "interrupted while waiting to resume", e);
        }
    }

    private static Paths instance(long id) {
        return Paths.of("instances").segment(id);
    }
}
