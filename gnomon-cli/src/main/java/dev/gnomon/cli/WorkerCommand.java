package dev.gnomon.cli;

import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.agent.WorkerAgent;
import dev.gnomon.worker.agent.WorkerAgentConfig;
import dev.gnomon.worker.log.SpoolSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gnomon worker}: the standalone worker agent with the built-in processors. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker agent for one app until stopped. It dials out to the servers.")
final class WorkerCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|B|K|KB|M|MB|G|GB)");

    @Option(names = "--server", split = ",", paramLabel = "URL",
        description = "server address, repeatable or comma-separated (env GNOMON_SERVERS, default http://127.0.0.1:7700)")
    List<String> servers = new ArrayList<>();

    @Option(names = "--app", description = "the app this worker serves (env GNOMON_APP)")
    String app;

    @Option(names = "--secret", description = "the app's secret (env GNOMON_WORKER_SECRET); prefer --secret-file")
    String secret;

    @Option(names = "--secret-file", description = "file holding the app's secret")
    Path secretFile;

    @Option(names = "--enable-shell", description = "allow jobs to run shell scripts on this machine")
    boolean enableShell;

    @Option(names = "--max-tasks", description = "tasks run at once (default: 2 per CPU, at least 2)")
    int maxTasks;

    @Option(names = "--tag", split = ",", description = "a label a job's worker selection can ask for, such as gpu;"
        + " repeat or comma-separate for several")
    List<String> tags = new ArrayList<>();

    @Option(names = "--worker-id", description = "a stable id for this worker (default: host name and a random suffix)")
    String workerId;

    @Option(names = "--reconnect-base", paramLabel = "DURATION",
        description = "first ceiling of the jittered reconnect backoff, such as 200ms (default 200ms)")
    Duration reconnectBase;

    @Option(names = "--reconnect-cap", paramLabel = "DURATION",
        description = "longest wait between two reconnect tries, such as 5s (default 5s)")
    Duration reconnectCap;
    @Option(names = "--log-spool-dir", paramLabel = "DIR", description = "directory where task log lines wait until"
        + " the server holds them; a worker started again on it resends what is left (env GNOMON_WORKER_LOG_SPOOL_DIR,"
        + " default: a temporary directory deleted at exit)")
    Path logSpoolDir;

    @Option(names = "--log-spool-size", paramLabel = "SIZE", description = "most bytes of log lines kept, such as 256MB;"
        + " when full the oldest unacknowledged lines are dropped and the log says so (env GNOMON_WORKER_LOG_SPOOL_SIZE,"
        + " default 256MB)")
    String logSpoolSize;

    @Option(names = "--log-spool-max-age", paramLabel = "DURATION", description = "unacknowledged log lines older than"
        + " this are dropped, such as 12h (env GNOMON_WORKER_LOG_SPOOL_MAX_AGE, default 1d)")
    String logSpoolMaxAge;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> list = servers.isEmpty() ? List.of(env("GNOMON_SERVERS", "http://127.0.0.1:7700")) : servers;
        String secretValue = secretFile != null ? Files.readString(secretFile).strip()
            : secret != null ? secret : System.getenv("GNOMON_WORKER_SECRET");
        GnomonWorker worker = WorkerAgent.create(new WorkerAgentConfig(list, app != null ? app : System.getenv("GNOMON_APP"),
            secretValue, enableShell, maxTasks, workerId, tags, reconnectBase, reconnectCap, spool()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "gnomon-shutdown"));
        worker.start();
        System.out.println("Gnomon worker " + worker.id() + " started for " + list);
        stopped.await();
        return 0;
    }

    private SpoolSettings spool() {
        String dir = logSpoolDir != null ? logSpoolDir.toString() : env("GNOMON_WORKER_LOG_SPOOL_DIR", "");
        String size = logSpoolSize != null ? logSpoolSize : env("GNOMON_WORKER_LOG_SPOOL_SIZE", "256MB");
        String age = logSpoolMaxAge != null ? logSpoolMaxAge : env("GNOMON_WORKER_LOG_SPOOL_MAX_AGE", "1d");
        Duration maxAge;
        try {
            maxAge = Converters.duration(age);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--log-spool-max-age: " + e.getMessage(), e);
        }
        return new SpoolSettings(dir.isBlank() ? null : Path.of(dir), bytes(size), maxAge);
    }

    /** A size such as {@code 256MB}, {@code 512KB}, {@code 1GB} or a number of bytes. */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--log-spool-size: '" + text + "' is not a size; use 256MB, 512KB, 1GB"
                + " or a number of bytes");
        }
        long unit = switch (m.group(2)) {
            case "K", "KB" -> 1024L;
            case "M", "MB" -> 1024L * 1024;
            case "G", "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
