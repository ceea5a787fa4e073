package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import java.time.Duration;
import java.util.function.Predicate;

/** Bounded waits on workers and instances. */
final class Workers {

    private Workers() {
    }

    /** Waits (at most 30 s) until the worker is ONLINE for the app, the worker JVM still alive. */
    static void awaitOnline(GnomonClient client, String app, GnomonJvm worker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(worker.isAlive()).as("worker alive; %s", worker.outputText()).isTrue();
            if (client.workers().list(app).items().stream()
                .anyMatch(w -> w.id().equals(worker.name()) && w.state().equals("ONLINE"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("worker " + worker.name() + " not ONLINE within 30 s; " + worker.outputText());
    }

    /** Waits (polling every 100 ms, at most {@code atMost}) until the instance matches; returns it then. */
    static InstanceResource awaitInstance(GnomonClient client, long id, String what, Duration atMost,
                                          Predicate<InstanceResource> condition) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        InstanceResource last = null;
        while (System.nanoTime() < deadline) {
            last = client.instances().get(id);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("instance " + id + " not " + what + " within " + atMost + "; last: " + last);
    }

    /** True when one of the processes the worker JVM runs is a {@code sleep}. */
    static boolean runsSleep(GnomonJvm worker) {
        return worker.children().stream().anyMatch(p -> p.info().command().map(cmd -> cmd.endsWith("/sleep")
            || cmd.equals("sleep")).orElse(false) || p.info().commandLine().map(l -> l.contains("sleep ")).orElse(false));
    }
}
