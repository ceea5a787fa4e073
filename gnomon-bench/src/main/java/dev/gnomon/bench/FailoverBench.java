package dev.gnomon.bench;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.ClusterResource;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.OwnedApp;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.ServerResource;
import dev.gnomon.client.InstanceQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failover time at default settings: three servers on PostgreSQL, six apps each with a job firing
 * every second; SIGKILL the server owning the most apps, then time (a) until every app is owned
 * again and (b) until the first on-time fire (less than 1 s after its tick) of an app the killed
 * server owned. Run: {@code bench/run failover --runs 5}.
 */
final class FailoverBench {

    private static final int SERVERS = 3;
    private static final int APPS = 6;
    private static final Duration ON_TIME = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    record Run(double ownedMs, double firstOnTimeMs, String killed, int appsMoved) {
    }

    private FailoverBench() {
    }

    static Run once(Path dir) throws Exception {
        Pg.recreate();
        List<GnomonProcesses> servers = new ArrayList<>();
        try {
            for (int i = 1; i <= SERVERS; i++) {
                servers.add(GnomonProcesses.start(dir.resolve("server-" + i), true, List.of()));
            }
            GnomonClient client = servers.get(0).client;
            for (int a = 1; a <= APPS; a++) {
                String app = "failover-" + a;
                client.apps().create(app, "failover benchmark");
                client.jobs().create(new JobRequest(app, "tick", null, true, "noop", null,
                    ScheduleSpec.fixedRate(Duration.ofSeconds(1)), null, null, null, null, null));
            }
            Map<String, Set<String>> owners = awaitPlacement(client);
            String victim = owners.entrySet().stream().max(Map.Entry.comparingByValue((x, y) -> x.size() - y.size()))
                .orElseThrow().getKey();
            Set<String> moved = owners.get(victim);
            GnomonProcesses killed = servers.stream().filter(s -> victim.equals(serverIdOf(s, client)))
                .findFirst().orElseThrow(() -> new IllegalStateException("no process for server " + victim));
            GnomonClient survivor = servers.stream().filter(s -> s != killed).findFirst().orElseThrow().client;

            Instant t0 = Instant.now();
            killed.server.destroyForcibly().waitFor();
            double ownedMs = awaitOwnedWithout(survivor, victim, t0);
            double fireMs = awaitOnTimeFire(survivor, moved, t0);
            return new Run(ownedMs, fireMs, victim, moved.size());
        } finally {
            servers.forEach(GnomonProcesses::close);
        }
    }

    private static String serverIdOf(GnomonProcesses p, GnomonClient client) {
        String endpoint = ":" + p.port;
        return client.cluster().servers().stream()
            .filter(s -> s.endpoints().stream().anyMatch(e -> (":" + e.port()).equals(endpoint)))
            .map(ServerResource::id).findFirst().orElse("?");
    }

    private static Map<String, Set<String>> owners(ClusterResource c) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ServerResource s : c.servers()) {
            if (s.live()) {
                out.put(s.id(), s.apps().stream().map(OwnedApp::app).collect(Collectors.toSet()));
            }
        }
        return out;
    }

    private static Map<String, Set<String>> awaitPlacement(GnomonClient client) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Set<String>> o = owners(client.cluster());
            int owned = o.values().stream().mapToInt(Set::size).sum();
            if (o.size() == SERVERS && owned == APPS && o.values().stream().allMatch(s -> s.size() == APPS / SERVERS)) {
                return o;
            }
            Jvm.sleep(100);
        }
        throw new IllegalStateException("apps were not spread over " + SERVERS + " servers within " + LIMIT);
    }

    private static double awaitOwnedWithout(GnomonClient client, String victim, Instant t0) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Set<String>> o = owners(client.cluster());
            o.remove(victim);
            if (o.values().stream().mapToInt(Set::size).sum() == APPS) {
                return Duration.between(t0, Instant.now()).toNanos() / 1e6;
            }
            Jvm.sleep(50);
        }
        throw new IllegalStateException("apps not owned again within " + LIMIT);
    }

    private static double awaitOnTimeFire(GnomonClient client, Set<String> apps, Instant t0) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Instant first = null;
            for (String app : apps) {
                for (InstanceResource i : client.instances().list(InstanceQuery.all().withApp(app).withLimit(50)).items()) {
                    if (i.scheduledAt() != null && i.createdAt().isAfter(t0)
                        && Duration.between(i.scheduledAt(), i.createdAt()).compareTo(ON_TIME) < 0
                        && (first == null || i.createdAt().isBefore(first))) {
                        first = i.createdAt();
                    }
                }
            }
            if (first != null) {
                return Duration.between(t0, first).toNanos() / 1e6;
            }
            Jvm.sleep(100);
        }
        throw new IllegalStateException("no on-time fire of the moved apps within " + LIMIT);
    }

    /** Runs {@code runs} failovers and writes the figures to BENCHMARKS.md between the failover markers. */
    static void main(int runs, Path out, Path page, String command) throws Exception {
        List<Double> owned = new ArrayList<>();
        List<Double> fired = new ArrayList<>();
        StringBuilder each = new StringBuilder();
        for (int r = 1; r <= runs; r++) {
            Run run = once(out.resolve("failover-" + r));
            owned.add(run.ownedMs());
            fired.add(run.firstOnTimeMs());
            each.append(String.format("| %d | %s | %d | %.0f | %.0f |%n", r, run.killed(), run.appsMoved(),
                run.ownedMs(), run.firstOnTimeMs()));
            System.out.printf("failover run %d: killed %s (%d apps), owned again after %.0f ms, first on-time fire"
                + " after %.0f ms%n", r, run.killed(), run.appsMoved(), run.ownedMs(), run.firstOnTimeMs());
        }
        String body = "Produced by `" + command + "` on " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ": " + SERVERS + " server processes with default settings (gnomon.lease.duration 8s,"
            + " gnomon.lease.renew-interval 1s, gnomon.cluster.server-timeout 6s) on PostgreSQL, " + APPS
            + " apps with a job firing every second; SIGKILL of the server owning the most apps.\n\n"
            + "| figure | median | spread |\n| --- | --- | --- |\n"
            + "| killed to every app owned again | " + String.format("%.1f s", Stats.median(owned) / 1000) + " | "
            + Stats.describe(owned, "%.0f") + " ms |\n"
            + "| killed to the first on-time fire of a moved app | "
            + String.format("%.1f s", Stats.median(fired) / 1000) + " | " + Stats.describe(fired, "%.0f") + " ms |\n\n"
            + "| run | killed | apps moved | owned again (ms) | first on-time fire (ms) |\n| --- | --- | --- | --- | --- |\n"
            + each;
        Report.write(page, body, "<!-- failover:start -->", "<!-- failover:end -->");
        System.out.println(body);
    }
}
