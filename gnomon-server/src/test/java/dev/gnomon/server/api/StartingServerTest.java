package dev.gnomon.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.server.auth.Authenticator;
import dev.gnomon.server.transport.HttpCommandForwarder;
import dev.gnomon.server.transport.HttpWorkerChannel;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint listens while the server migrates its database: until the server is ready it
 * turns away the API, the worker channel and forwarded commands with 503, and says so on /readyz.
 */
class StartingServerTest {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient client = HttpClient.newHttpClient();
    private Javalin http;

    @BeforeEach
    void start() {
        // no database behind it: a call let through before the server is ready would fail with 500
        List<Route> routes = List.of(new Route("get", "/api/v1/things", "things", 200, null, String.class, List.of(),
            ctx -> ctx.result("things")));
        http = ApiServer.start(new ApiServer.Parts(routes, new InternalApi(null, () -> "cluster-secret"),
            new HttpWorkerChannel(null, null, Duration.ofSeconds(30)), new Authenticator(null, Clock.systemUTC()),
            ready::get, () -> "", "test", "127.0.0.1", 0, 1 << 20));
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    @Test
    void untilReadyTheApiAndForwardedCommandsAnswer503() throws Exception {
        HttpResponse<String> api = get("/api/v1/things");
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(api.body()).contains("starting");
        HttpResponse<String> internal = client.send(HttpRequest.newBuilder(uri(HttpCommandForwarder.PATH))
            .header(HttpCommandForwarder.SECRET_HEADER, "cluster-secret")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(internal.statusCode()).isEqualTo(503);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void untilReadyAWorkerCannotOpenItsChannel() {
        assertThatThrownBy(() -> client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + http.port() + HttpWorkerChannel.PATH), new WebSocket.Listener() {
                })
                .get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(WebSocketHandshakeException.class)
            .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                .isEqualTo(503));
    }

    @Test
    void onceReadyTheApiAsksForCredentials() throws Exception {
        ready.set(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> api = get("/api/v1/things");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("needs credentials");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }
}
