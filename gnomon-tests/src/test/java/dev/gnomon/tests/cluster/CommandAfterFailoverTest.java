package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Commands follow the lease: after the owner of an app dies, a stop sent to a server that does
 * not own the app is forwarded to the new owner and stops the script on the worker; while the
 * owner is frozen, a stop through another server either fails with a 503 naming the app and the
 * servers tried, or, once the lease moved, succeeds.
 */
class CommandAfterFailoverTest {

    @Test
    void aStopSentToANonOwnerAfterFailoverIsForwardedAndStopsTheScript() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2", "s3");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("cmd", "command after failover test").secret();
            GnomonJvm worker = c.startShellWorker("cmd", secret, "cmd-worker");
            Workers.awaitOnline(client, "cmd", worker);
            JobResource job = client.jobs().create(Ticks.shell("cmd", "sleeps", "sleep 60", null));
            long id = client.jobs().run(job.id(), null).id();
            Workers.awaitInstance(client, id, "RUNNING", Duration.ofSeconds(30), i -> i.state() == InstanceState.RUNNING);

            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "cmd", o -> true, Duration.ofSeconds(5));
            ClusterServer doomed = c.server(owner.serverId());
            ClusterServer witness = servers.stream().filter(s -> s != doomed).findFirst().orElseThrow();
            Instant killed = Instant.now();
            doomed.process().kill();
            ClusterFixture.Owner next = ClusterFixture.awaitOwner(witness, "cmd", o -> !o.serverId().equals(doomed.id()),
                Duration.ofSeconds(20));
            ClusterServer third = servers.stream().filter(s -> s != doomed && !s.id().equals(next.serverId()))
                .findFirst().orElseThrow();
            GnomonClient via = third.client();
            assertThat(via.instances().get(id).state()).isEqualTo(InstanceState.RUNNING);
            assertThat(Workers.runsSleep(worker)).as("the worker still runs the script").isTrue();

            InstanceResource stopped = via.instances().stop(id);
            System.out.println("[CommandAfterFailoverTest] killed " + doomed.id() + "; " + next.serverId()
                + " owns the app after " + Duration.between(killed, Instant.now()).toMillis() + " ms; stop sent to "
                + third.id() + " answered " + stopped.state());
            assertThat(Workers.awaitInstance(via, id, "STOPPED", Duration.ofSeconds(10),
                i -> i.state().terminal()).state()).isEqualTo(InstanceState.STOPPED);
            // the worker may still be reconnecting (jittered backoff up to 10 s): the new owner then
            // tells it to stop when it comes back with a task that is no longer live
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Workers.runsSleep(worker) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Workers.runsSleep(worker)).as("the worker's sleep is gone; %s", worker.outputText()).isFalse();

        }
    }

    @Test
    void aStopThroughAnotherServerWhileTheOwnerIsFrozenGivesA503OrALateSuccess() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient via = servers.get(0).client();
            String secret = via.apps().create("cmd", "command to a frozen owner test").secret();
            GnomonJvm worker = c.startShellWorker("cmd", secret, "cmd-worker");
            Workers.awaitOnline(via, "cmd", worker);
            JobResource job = via.jobs().create(Ticks.shell("cmd", "sleeps", "sleep 60", null));
            // now freeze the owner and send a stop through another server before its lease expires
            long second = via.jobs().run(job.id(), null).id();
            Workers.awaitInstance(via, second, "RUNNING", Duration.ofSeconds(30), i -> i.state() == InstanceState.RUNNING);
            ClusterFixture.Owner current = ClusterFixture.awaitOwner(servers.get(0), "cmd", o -> true, Duration.ofSeconds(5));
            ClusterServer frozen = c.server(current.serverId());
            ClusterServer caller = servers.stream().filter(s -> s != frozen).findFirst().orElseThrow();
            HttpResponse<String> answer;
            Instant sent;
            frozen.process().pause();
            try {
                sent = Instant.now();
                answer = post(caller.url() + "/api/v1/instances/" + second + "/stop");
            } finally {
                frozen.process().resume();
            }
            Duration took = Duration.between(sent, Instant.now());
            System.out.println("[CommandAfterFailoverTest] stop via " + caller.id() + " while " + frozen.id()
                + " was frozen: HTTP " + answer.statusCode() + " after " + took.toMillis() + " ms: " + answer.body());
            JsonNode body = Json.mapper().readTree(answer.body());
            if (answer.statusCode() == 503) {
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(body.path("status").asInt()).isEqualTo(503);
                assertThat(body.path("detail").asText()).contains("'cmd'").contains("servers tried")
                    .contains(frozen.id());
            } else {
                assertThat(answer.statusCode()).as("either 503 or success: %s", answer.body()).isEqualTo(200);
                assertThat(took).as("success only once the lease expired").isGreaterThanOrEqualTo(Duration.ofMillis(
                    ClusterFixture.LEASE.toMillis() / 2));
                assertThat(Workers.awaitInstance(via, second, "ended", Duration.ofSeconds(10),
                    i -> i.state().terminal()).state()).isEqualTo(InstanceState.STOPPED);
            }
        }
    }

    private static HttpResponse<String> post(String url) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + ClusterServer.ADMIN_PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
