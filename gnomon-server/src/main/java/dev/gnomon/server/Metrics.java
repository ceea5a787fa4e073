package dev.gnomon.server;

import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.dispatch.LogIngest;
import dev.gnomon.server.dispatch.WorkerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The server's Prometheus metrics, served at {@code /metrics}. */
final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Metrics(WorkerRegistry workers, LeaseKeeper leases, LogIngest logs) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("gnomon.workers.connected", workers, w -> w.sessions().size())
            .description("Workers connected to this server").register(registry);
        Gauge.builder("gnomon.apps.owned", leases, l -> l.owned().size())
            .description("Apps whose lease this server holds").register(registry);
        FunctionCounter.builder("gnomon.log.lines.dropped", logs, LogIngest::droppedLines)
            .description("Log lines workers reported dropped from a full log spool").register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
