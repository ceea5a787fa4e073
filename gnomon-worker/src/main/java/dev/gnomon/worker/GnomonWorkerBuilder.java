package dev.gnomon.worker;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.Transport;
import dev.gnomon.worker.channel.Backoff;
import dev.gnomon.worker.task.TaskSettings;
import dev.gnomon.worker.log.SpoolSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Configures a {@link GnomonWorker}. Each setter checks its value at once and throws
 * {@link IllegalArgumentException} naming the setting and what is allowed; {@link #build()}
 * checks that the required settings (servers, app, secret) were given.
 */
public final class GnomonWorkerBuilder {

    /** Default tasks run at once: two per available processor, at least two. */
    public static final int DEFAULT_MAX_TASKS = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    /** Default most bytes of log lines held on disk until the server acknowledges them: 256 MB. */
    public static final long DEFAULT_LOG_SPOOL_BYTES = 256L * 1024 * 1024;
    /** Default age past which unacknowledged log lines are dropped: one day. */
    public static final Duration DEFAULT_LOG_SPOOL_MAX_AGE = Duration.ofDays(1);
    /** Most tasks a worker may run at once. */
    public static final int MAX_TASKS_LIMIT = 10_000;
    private static final Duration MIN_RECONNECT_BASE = Duration.ofMillis(10);
    private static final Duration MAX_RECONNECT_BASE = Duration.ofMinutes(1);
    private static final Duration MAX_RECONNECT_CAP = Duration.ofMinutes(10);
    /** Most tags a worker may declare. */
    public static final int MAX_TAGS = 20;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    List<Endpoint> servers = List.of();
    String app;
    String secret;
    final Map<String, Processor> processors = new LinkedHashMap<>();
    boolean enableShell;
    int maxTasks = DEFAULT_MAX_TASKS;
    Set<String> tags = Set.of();
    String workerId;
    Clock clock = Clock.systemUTC();
    Duration reconnectBase = Backoff.DEFAULT_BASE;
    Duration reconnectCap = Backoff.DEFAULT_CAP;
    Path logSpoolDir;
    long logSpoolBytes = DEFAULT_LOG_SPOOL_BYTES;
    Duration logSpoolMaxAge = DEFAULT_LOG_SPOOL_MAX_AGE;
    Transport transport;
    Random random = new Random();

    GnomonWorkerBuilder() {
    }

    /** Server addresses such as {@code http://host:7700}; one argument may hold several, comma-separated. */
    public GnomonWorkerBuilder servers(String... servers) {
        return servers(Arrays.asList(Objects.requireNonNull(servers, "servers")));
    }

    /** Server addresses such as {@code http://host:7700}; an entry may hold several, comma-separated. */
    public GnomonWorkerBuilder servers(List<String> servers) {
        List<Endpoint> parsed = new ArrayList<>();
        for (String entry : Objects.requireNonNull(servers, "servers")) {
            for (String part : (entry == null ? "" : entry).split(",")) {
                if (!part.isBlank()) {
                    parsed.add(parseServer(part));
                }
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("servers is empty; give at least one address such as http://127.0.0.1:7700");
        }
        this.servers = List.copyOf(parsed);
        return this;
    }

    /** The app this worker serves. */
    public GnomonWorkerBuilder app(String app) {
        this.app = requireText("app", app);
        return this;
    }

    /** The app's secret, proving this worker belongs to it. */
    public GnomonWorkerBuilder secret(String secret) {
        this.secret = requireText("secret", secret);
        return this;
    }

    /** Registers a processor under a name jobs refer to; {@code shell} is reserved for the built-in one. */
    public GnomonWorkerBuilder processor(String name, Processor processor) {
        requireText("processor name", name);
        if (name.equals(TaskSettings.SHELL)) {
            throw new IllegalArgumentException("processor name 'shell' is reserved for the built-in shell processor; "
                + "use enableShell(true) for it, or register yours under another name");
        }
        if (processors.containsKey(name)) {
            throw new IllegalArgumentException("processor '" + name + "' is registered twice; names must be unique");
        }
        processors.put(name, Objects.requireNonNull(processor, "processor '" + name + "' is null"));
        return this;
    }

    /** Whether jobs may run shell scripts on this worker (default false). */
    public GnomonWorkerBuilder enableShell(boolean enableShell) {
        this.enableShell = enableShell;
        return this;
    }

    /** Tasks run at once (default two per processor, at least two); allowed 1 to 10,000. */
    public GnomonWorkerBuilder maxTasks(int maxTasks) {
        if (maxTasks < 1 || maxTasks > MAX_TASKS_LIMIT) {
            throw new IllegalArgumentException("maxTasks is " + maxTasks + "; allowed 1-" + MAX_TASKS_LIMIT);
        }
        this.maxTasks = maxTasks;
        return this;
    }

    /**
     * Labels a job's worker selection can ask for, such as {@code gpu} or {@code eu-west}: 1-64
     * letters, digits, '.', '_', ':' or '-' each, at most 20.
     */
    public GnomonWorkerBuilder tags(String... tags) {
        return tags(Arrays.asList(Objects.requireNonNull(tags, "tags")));
    }

    /** Labels a job's worker selection can ask for; an entry may hold several, comma-separated. */
    public GnomonWorkerBuilder tags(Collection<String> tags) {
        Set<String> parsed = new TreeSet<>();
        for (String entry : Objects.requireNonNull(tags, "tags")) {
            for (String part : (entry == null ? "" : entry).split(",")) {
                String tag = part.strip();
                if (tag.isEmpty()) {
                    continue;
                }
                if (!TAG.matcher(tag).matches()) {
                    throw new IllegalArgumentException("tag '" + tag + "' is not allowed; use 1-64 letters, digits,"
                        + " '.', '_', ':' or '-', starting with a letter or digit");
                }
                parsed.add(tag);
            }
        }
        if (parsed.size() > MAX_TAGS) {
            throw new IllegalArgumentException("tags has " + parsed.size() + " tags; at most " + MAX_TAGS);
        }
        this.tags = Set.copyOf(parsed);
        return this;
    }

    /** A stable id for this worker (default: host name and a short random suffix). */
    public GnomonWorkerBuilder workerId(String workerId) {
        requireText("workerId", workerId);
        if (workerId.length() > 128 || workerId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("workerId '" + workerId
                + "' is not allowed; use up to 128 characters without spaces");
        }
        this.workerId = workerId;
        return this;
    }

    /** The clock for time stamps on reports and log lines (default: system clock, UTC). */
    public GnomonWorkerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Directory where task log lines wait until the server acknowledges them. A worker started
     * again on the same directory sends what an earlier run left unacknowledged. Default: a new
     * temporary directory, deleted when the worker closes. One worker per directory.
     */
    public GnomonWorkerBuilder logSpoolDir(Path dir) {
        this.logSpoolDir = Objects.requireNonNull(dir, "logSpoolDir");
        return this;
    }

    /**
     * Most bytes of log lines the spool holds (default 256 MB); allowed 64 KB or more. When full,
     * the oldest unacknowledged lines of the oldest attempt are dropped and a WARN line in the
     * log says how many.
     */
    public GnomonWorkerBuilder logSpoolSize(long bytes) {
        if (bytes < SpoolSettings.MIN_BYTES) {
            throw new IllegalArgumentException("logSpoolSize is " + bytes + " bytes; allowed "
                + SpoolSettings.MIN_BYTES + " (64KB) or more");
        }
        this.logSpoolBytes = bytes;
        return this;
    }

    /** Unacknowledged log lines older than this are dropped, with a WARN line saying so (default 1 day); at least 1s. */
    public GnomonWorkerBuilder logSpoolMaxAge(Duration age) {
        if (age == null || age.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("logSpoolMaxAge is " + age + "; allowed 1s or more");
        }
        this.logSpoolMaxAge = age;
        return this;
    }

    /**
     * How the worker retries a server it cannot reach or whose channel dropped: after the n-th
     * failure in a row it waits a random time between 0 and min(cap, base x 2^n). Defaults 200 ms
     * and 5 s: a channel cut by a flaky link is back within a second, and a worker finds a server
     * that comes back within five seconds, well inside the server's lost timeout. Allowed: base
     * 10 ms to 1 min, cap from base to 10 min.
     */
    public GnomonWorkerBuilder reconnectBackoff(Duration base, Duration cap) {
        Objects.requireNonNull(base, "reconnect backoff base");
        Objects.requireNonNull(cap, "reconnect backoff cap");
        if (base.compareTo(MIN_RECONNECT_BASE) < 0 || base.compareTo(MAX_RECONNECT_BASE) > 0) {
            throw new IllegalArgumentException("reconnect backoff base is " + base.toMillis() + " ms; allowed "
                + MIN_RECONNECT_BASE.toMillis() + " ms to " + MAX_RECONNECT_BASE.toSeconds() + " s");
        }
        if (cap.compareTo(base) < 0 || cap.compareTo(MAX_RECONNECT_CAP) > 0) {
            throw new IllegalArgumentException("reconnect backoff cap is " + cap.toMillis() + " ms; allowed from the"
                + " base (" + base.toMillis() + " ms) to " + MAX_RECONNECT_CAP.toMinutes() + " min");
        }
        this.reconnectBase = base;
        this.reconnectCap = cap;
        return this;
    }

    /** For tests: another transport than the http one. */
    GnomonWorkerBuilder transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /** Builds the worker; call {@link GnomonWorker#start()} to connect. */
    public GnomonWorker build() {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers is not set; give at least one address such as http://127.0.0.1:7700");
        }
        if (app == null) {
            throw new IllegalArgumentException("app is not set; give the name of the app this worker serves");
        }
        if (secret == null) {
            throw new IllegalArgumentException("secret is not set; give the app's secret");
        }
        return new GnomonWorker(this);
    }

    private static Endpoint parseServer(String text) {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("servers: " + e.getMessage(), e);
        }
        if (!endpoint.protocol().equals(Endpoint.HTTP)) {
            throw new IllegalArgumentException("servers: '" + text.strip() + "' uses " + endpoint.protocol()
                + "; this worker connects over http, such as http://host:7700");
        }
        return endpoint;
    }

    private static String requireText(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty; give a non-blank value");
        }
        return value.strip();
    }
}
