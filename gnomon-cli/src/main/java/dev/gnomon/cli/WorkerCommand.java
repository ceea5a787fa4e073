package dev.gnomon.cli;

import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.agent.WorkerAgent;
import dev.gnomon.worker.agent.WorkerAgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gnomon worker}: the standalone worker agent with the built-in processors. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker agent for one app until stopped. It dials out to the servers.")
final class WorkerCommand implements Callable<Integer> {

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

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> list = servers.isEmpty() ? List.of(env("GNOMON_SERVERS", "http://127.0.0.1:7700")) : servers;
        String secretValue = secretFile != null ? Files.readString(secretFile).strip()
            : secret != null ? secret : System.getenv("GNOMON_WORKER_SECRET");
        GnomonWorker worker = WorkerAgent.create(new WorkerAgentConfig(list, app != null ? app : System.getenv("GNOMON_APP"),
            secretValue, enableShell, maxTasks, workerId, tags, reconnectBase, reconnectCap));
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

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
