package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.HelloRejected;
import dev.gnomon.protocol.Redirect;
import dev.gnomon.protocol.WorkerHeartbeat;
import dev.gnomon.protocol.WorkerHello;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTest extends WorkerFixture {

    @Test
    void helloCarriesAppSecretAndProcessors() throws Exception {
        FakeServer server = server();
        GnomonWorker worker = connectedWorker(server, b -> b.processor("hello", ctx -> Result.success())
            .processor("report", ctx -> Result.success()).enableShell(true).maxTasks(3));

        WorkerHello hello = server.hellos().get(0);
        assertThat(hello.app()).isEqualTo("demo");
        assertThat(hello.secret()).isEqualTo("s3cr3t");
        assertThat(hello.workerId()).isEqualTo(worker.id()).isEqualTo("w-test");
        assertThat(hello.processors()).containsExactlyInAnyOrder("hello", "report", "shell");
        assertThat(hello.maxTasks()).isEqualTo(3);
        assertThat(hello.running()).isEmpty();
        assertThat(worker.isConnected()).isTrue();
    }

    @Test
    void sendsHeartbeatsAtTheIntervalTheServerAsks() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.maxTasks(4));

        await().atMost(WAIT).until(() -> server.of(WorkerHeartbeat.class).size() >= 2);
        WorkerHeartbeat beat = server.of(WorkerHeartbeat.class).get(0);
        assertThat(beat.maxTasks()).isEqualTo(4);
        assertThat(beat.runningTasks()).isZero();
        assertThat(beat.cpuCount()).isPositive();
        assertThat(beat.memoryUsed()).isPositive();
        assertThat(beat.memoryMax()).isGreaterThanOrEqualTo(beat.memoryUsed());
    }

    @Test
    void startWithoutAServerDoesNotThrowAndConnectsOnceOneAppears() throws Exception {
        int port = freePort();
        GnomonWorker[] holder = new GnomonWorker[1];
        assertThatCode(() -> holder[0] = worker("http://127.0.0.1:" + port, b -> b)).doesNotThrowAnyException();
        GnomonWorker worker = holder[0];
        assertThat(worker.awaitConnected(Duration.ofMillis(500))).isFalse();

        FakeServer server = track(new FakeServer(port));

        assertThat(worker.awaitConnected(WAIT)).isTrue();
        assertThat(server.hellos()).hasSize(1);
    }

    @Test
    void followsARedirectToTheOwner() throws Exception {
        FakeServer owner = server();
        FakeServer other = server();
        other.helloReply = h -> new Redirect("owner", List.of(
            new Endpoint("grpc", "127.0.0.1", 7701), new Endpoint("http", "127.0.0.1", owner.port())));

        GnomonWorker worker = connectedWorker(owner, b -> b.servers(other.url()));

        assertThat(other.hellos()).hasSize(1);
        assertThat(owner.hellos()).hasSize(1);
        assertThat(worker.isConnected()).isTrue();
    }

    @Test
    void aWrongSecretStopsRetryingWithoutThrowing() throws Exception {
        FakeServer server = server();
        server.helloReply = h -> new HelloRejected("wrong secret for app 'demo'", false);

        GnomonWorker worker = worker(server.url(), b -> b);

        await().atMost(WAIT).until(() -> server.hellos().size() == 1);
        assertThat(worker.awaitConnected(Duration.ofSeconds(1))).isFalse();
        assertThat(server.hellos()).hasSize(1);
    }

    @Test
    void aRetryableRejectionIsRetried() throws Exception {
        FakeServer server = server();
        server.helloReply = h -> new HelloRejected("server is starting", true);

        worker(server.url(), b -> b);

        await().atMost(WAIT).until(() -> server.hellos().size() >= 2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
