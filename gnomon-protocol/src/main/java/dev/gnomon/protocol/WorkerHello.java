package dev.gnomon.protocol;

import java.util.List;
import java.util.Set;

/**
 * First message a worker sends on a new channel. The server answers {@link HelloAccepted},
 * {@link HelloRejected} (wrong secret, unknown app) or {@link Redirect} (another server owns
 * the app).
 *
 * @param app        the app the worker serves
 * @param secret     the app's secret, proving membership
 * @param workerId   stable id of this worker process, kept across reconnects
 * @param host       host name of the worker, for people reading the worker list
 * @param version    Gnomon version of the worker
 * @param processors names of the processors this worker can run (built-in ones included)
 * @param maxTasks   how many tasks the worker runs at once
 * @param running    tasks the worker is running right now, so a server can adopt them
 * @param tags       labels a job's selection can ask for, such as {@code gpu} or {@code eu-west}
 * @param bundles    whether the worker reads {@link Bundle}s (absent, from an earlier worker: false)
 */
public record WorkerHello(
    String app,
    String secret,
    String workerId,
    String host,
    String version,
    Set<String> processors,
    int maxTasks,
    List<TaskRef> running,
    Set<String> tags,
    Boolean bundles) implements Message {

    public WorkerHello {
        processors = processors == null ? Set.of() : Set.copyOf(processors);
        running = running == null ? List.of() : List.copyOf(running);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        bundles = Boolean.TRUE.equals(bundles);
    }

    /** A hello from a worker that reads one message per frame only. */
    public WorkerHello(String app, String secret, String workerId, String host, String version, Set<String> processors,
                       int maxTasks, List<TaskRef> running, Set<String> tags) {
        this(app, secret, workerId, host, version, processors, maxTasks, running, tags, false);
    }

    /** A hello without tags. */
    public WorkerHello(String app, String secret, String workerId, String host, String version, Set<String> processors,
                       int maxTasks, List<TaskRef> running) {
        this(app, secret, workerId, host, version, processors, maxTasks, running, Set.of());
    }
}
