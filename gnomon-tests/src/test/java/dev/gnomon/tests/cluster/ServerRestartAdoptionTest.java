package dev.gnomon.tests.cluster;

import dev.gnomon.tests.GnomonJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner restarted (SIGTERM, then started again with the same server id) while its worker
 * runs a long task: the task is adopted, not run again.
 */
class ServerRestartAdoptionTest {

    @Test
    void aTaskRunningAcrossARestartOfItsServerIsAdoptedNotRerun() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2");
            GnomonClient client = servers.get(0).client();
            String secret = client.apps().create("adopt", "restart adoption test").secret();
            ClusterFixture.Owner owner = ClusterFixture.awaitOwner(servers.get(0), "adopt", o -> true,
                Duration.ofSeconds(15));
            ClusterServer restarted = c.server(owner.serverId());
            ClusterServer other = servers.stream().filter(s -> s != restarted).findFirst().orElseThrow();
            GnomonJvm worker = c.startShellWorker("adopt", secret, "steady-worker");
            Workers.awaitOnline(client, "adopt", worker);

            Path runs = c.dir().resolve("runs.txt");
            JobResource job = client.jobs().create(Ticks.shell("adopt", "long", "echo run >> '" + runs
                + "'; sleep 8; echo done", null));
            long id = client.jobs().run(job.id(), null).id();
            Workers.awaitInstance(client, id, "RUNNING", Duration.ofSeconds(30), i -> i.state() == InstanceState.RUNNING);

            restarted.process().stop();
            c.restart(restarted);

            GnomonClient via = other.client();
            InstanceResource done = Workers.awaitInstance(via, id, "ended", Duration.ofSeconds(40),
                i -> i.state().terminal());
            List<String> log = via.instances().log(id, 0, 1000).items().stream().map(LogEntry::text).toList();
            System.out.println("[ServerRestartAdoptionTest] " + restarted.id() + " restarted; instance " + done
                + "; log " + log);
            assertThat(done.state()).as("%s", done).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(c.queryLong("SELECT count(*) FROM tasks WHERE instance_id = ?", id)).as("task rows").isEqualTo(1);
            assertThat(log).filteredOn(l -> l.contains("done")).as("log lines 'done' in %s", log).hasSize(1);
            assertThat(Files.readAllLines(runs)).as("times the worker ran the script").hasSize(1);
        }
    }
}
