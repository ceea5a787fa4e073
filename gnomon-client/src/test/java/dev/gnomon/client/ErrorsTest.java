package dev.gnomon.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    FakeServer server;
    GnomonClient client;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
        client = GnomonClient.builder().baseUrl(server.url()).token("t").build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aProblemBodyBecomesAnExceptionWithItsField() {
        server.respond("POST", "/api/v1/apps", 400, """
            {"type":"https://gnomon.dev/problems/invalid-input","title":"Invalid input","status":400,
             "detail":"name 'a b' has a space; use letters, digits, '-', '_' or '.'","field":"name"}""");

        GnomonApiException e = catchThrowableOfType(GnomonApiException.class, () -> client.apps().create("a b", null));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("name");
        assertThat(e.detail()).startsWith("name 'a b' has a space");
        assertThat(e.retryable()).isFalse();
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.getMessage()).contains("HTTP 400", "/api/v1/apps", "(field: name)");
    }

    @Test
    void conflictIsNotRetryableButUnavailableAndTooManyAre() {
        server.respond("DELETE", "/api/v1/apps/a", 409, "{\"status\":409,\"detail\":\"app 'a' has 3 jobs\"}")
            .respond("DELETE", "/api/v1/apps/b", 503, "{\"status\":503,\"detail\":\"no server owns app 'b'\"}")
            .respond("DELETE", "/api/v1/apps/c", 429, "{\"status\":429,\"detail\":\"slow down\"}");

        assertThat(catchThrowableOfType(GnomonApiException.class, () -> client.apps().delete("a", false)).retryable()).isFalse();
        assertThat(catchThrowableOfType(GnomonApiException.class, () -> client.apps().delete("b", false)).retryable()).isTrue();
        assertThat(catchThrowableOfType(GnomonApiException.class, () -> client.apps().delete("c", false)).retryable()).isTrue();
    }

    @Test
    void aNonJsonErrorKeepsItsStatusAndText() {
        server.respond("GET", "/api/v1/jobs/1", 502, "text/html", "<html>bad gateway</html>");

        GnomonApiException e = catchThrowableOfType(GnomonApiException.class, () -> client.jobs().get(1));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.problem().title()).isEqualTo("Bad Gateway");
        assertThat(e.detail()).isEqualTo("<html>bad gateway</html>");
        assertThat(e.field()).isNull();
    }

    @Test
    void anUnreadableSuccessBodyIsReported() {
        server.respond("GET", "/api/v1/jobs/1", 200, "{\"id\":\"not a number\"}");

        assertThatThrownBy(() -> client.jobs().get(1))
            .isInstanceOf(GnomonApiException.class)
            .hasMessageContaining("not a valid JobResource");
    }

    @Test
    void aRefusedConnectionNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        GnomonClient offline = GnomonClient.builder().baseUrl("http://127.0.0.1:" + port).build();

        GnomonConnectionException e = catchThrowableOfType(GnomonConnectionException.class, () -> offline.jobs().get(5));

        assertThat(e.url()).isEqualTo("http://127.0.0.1:" + port + "/api/v1/jobs/5");
        assertThat(e.getMessage()).contains("cannot reach Gnomon at http://127.0.0.1:" + port, "connection refused");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GnomonClient slow = GnomonClient.builder()
                .baseUrl("http://127.0.0.1:" + silent.getLocalPort()).timeout(Duration.ofMillis(300)).build();
            Thread acceptor = new Thread(() -> {
                try {
                    Socket accepted = silent.accept();
                    Thread.sleep(5_000);
                    accepted.close();
                } catch (Exception e) {
                    // closed by the test's end
                }
            });
            acceptor.start();

            assertThatThrownBy(() -> slow.jobs().get(5))
                .isInstanceOf(GnomonConnectionException.class)
                .hasMessageContaining("no answer within 300 ms");
            acceptor.interrupt();
        }
    }
}
