package dev.gnomon.worker.agent;

import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.GnomonWorkerBuilder;
import dev.gnomon.worker.channel.Backoff;
import java.time.Duration;

/**
 * The standalone worker: a {@link GnomonWorker} with the built-in processors only, configured
 * from the command line by {@code gnomon worker}.
 */
public final class WorkerAgent {

    private WorkerAgent() {
    }

    /**
     * Builds (does not start) an agent worker.
     *
     * @throws IllegalArgumentException when a setting is not allowed, naming it
     */
    public static GnomonWorker create(WorkerAgentConfig config) {
        GnomonWorkerBuilder builder = GnomonWorker.builder()
            .servers(config.servers())
            .app(config.app())
            .secret(config.secret())
            .enableShell(config.enableShell())
            .tags(config.tags())
            .logSpoolSize(config.logSpool().maxBytes())
            .logSpoolMaxAge(config.logSpool().maxAge());
        if (config.logSpool().dir() != null) {
            builder.logSpoolDir(config.logSpool().dir());
        }
        if (config.maxTasks() > 0) {
            builder.maxTasks(config.maxTasks());
        }
        if (config.workerId() != null) {
            builder.workerId(config.workerId());
        }
        if (config.reconnectBase() != null || config.reconnectCap() != null) {
            Duration base = config.reconnectBase() != null ? config.reconnectBase() : Backoff.DEFAULT_BASE;
            Duration cap = config.reconnectCap() != null ? config.reconnectCap()
                : Backoff.DEFAULT_CAP.compareTo(base) >= 0 ? Backoff.DEFAULT_CAP : base;
            builder.reconnectBackoff(base, cap);
        }
        return builder.build();
    }
}
