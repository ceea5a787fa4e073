package dev.gnomon.worker.agent;

import dev.gnomon.worker.GnomonWorkerBuilder;
import dev.gnomon.worker.log.SpoolSettings;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the standalone worker agent.
 *
 * @param servers     server addresses such as {@code http://host:7700} (entries may be comma-separated lists)
 * @param app         the app the agent serves
 * @param secret      the app's secret
 * @param enableShell whether jobs may run shell scripts on this agent
 * @param maxTasks    tasks run at once; 0 for the default (two per processor, at least two)
 * @param workerId    a stable id, or null for host name plus a random suffix
 * @param tags          labels a job's worker selection can ask for (may be empty)
 * @param reconnectBase first ceiling of the jittered reconnect backoff, or null for the default (200 ms)
 * @param reconnectCap  longest wait between two reconnect tries, or null for the default (5 s)
 * @param logSpool      where and how much of the task logs are kept until the server holds them, or null
 *                      for the default (a temporary directory, 256 MB, one day)
 */
public record WorkerAgentConfig(List<String> servers, String app, String secret, boolean enableShell, int maxTasks,
                                String workerId, List<String> tags, Duration reconnectBase, Duration reconnectCap,
                                SpoolSettings logSpool) {

    /** Settings without tags, with the default reconnect backoff and the default log spool. */
    public WorkerAgentConfig(List<String> servers, String app, String secret, boolean enableShell, int maxTasks,
                             String workerId) {
        this(servers, app, secret, enableShell, maxTasks, workerId, List.of(), null, null, null);
    }

    public WorkerAgentConfig {
        if (servers == null || servers.stream().allMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("servers is empty; give at least one address such as http://127.0.0.1:7700");
        }
        servers = List.copyOf(servers.stream().filter(s -> s != null && !s.isBlank()).toList());
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("app is empty; give the name of the app this worker serves");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("secret is empty; give the app's secret");
        }
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks is " + maxTasks + "; allowed 0 (default) or 1-10000");
        }
        if (workerId != null && workerId.isBlank()) {
            workerId = null;
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (logSpool == null) {
            logSpool = new SpoolSettings(null, GnomonWorkerBuilder.DEFAULT_LOG_SPOOL_BYTES,
                GnomonWorkerBuilder.DEFAULT_LOG_SPOOL_MAX_AGE);
        }
    }
}
