package dev.gnomon.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.Json;
import dev.gnomon.server.cluster.CommandForwarder;
import dev.gnomon.server.cluster.CommandRequest;
import dev.gnomon.server.cluster.CommandResult;
import dev.gnomon.server.cluster.ForwardedProblemException;
import dev.gnomon.server.cluster.NotOwnerException;
import dev.gnomon.server.store.ServerStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Forwards commands over the owner's {@code http} endpoint (the only one it may be sent to:
 * never to a port of another protocol), authenticated by the cluster secret.
 */
public final class HttpCommandForwarder implements CommandForwarder {

    public static final String PATH = "/internal/v1/commands";
    public static final String SECRET_HEADER = "X-Gnomon-Cluster-Secret";

    private final ServerStore servers;
    private final Supplier<String> secret;
    private final Duration timeout;
    /** Made at the first command forwarded: a client sets up TLS defaults, which a start need not wait for. */
    private volatile HttpClient http;

    /**
     * @param timeout how long to wait for the owner's answer: the lease duration, since an owner
     *                silent for longer has lost the app anyway and the caller should look again
     */
    public HttpCommandForwarder(ServerStore servers, String secret, Duration timeout) {
        this(servers, () -> secret, timeout);
    }

    /** With the secret read when the first command is forwarded, since a server learns it once migrated. */
    public HttpCommandForwarder(ServerStore servers, Supplier<String> secret, Duration timeout) {
        this.servers = servers;
        this.secret = secret;
        this.timeout = timeout;
    }

    @Override
    public CommandResult forward(String ownerId, CommandRequest command) throws IOException {
        List<Endpoint> endpoints = servers.endpoints(ownerId).stream()
            .filter(e -> e.protocol().equals(Endpoint.HTTP)).toList();
        if (endpoints.isEmpty()) {
            throw new IOException("server " + ownerId + " advertises no http endpoint");
        }
        IOException last = null;
        for (Endpoint e : endpoints) {
            try {
                return send(e, command);
            } catch (IOException ex) {
                last = new IOException(e + ": " + ex.getMessage(), ex);
            }
        }
        throw last;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
                    http = client;
                }
            }
        }
        return client;
    }

    private CommandResult send(Endpoint endpoint, CommandRequest command) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.httpUri() + PATH))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(SECRET_HEADER, secret.get())
            .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(command)))
            .build();
        HttpResponse<String> response;
        try {
            response = http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() == 200) {
            return Json.mapper().readValue(response.body(), CommandResult.class);
        }
        JsonNode problem;
        try {
            problem = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new IOException("answered " + response.statusCode() + " without a problem body");
        }
        String detail = problem.path("detail").asText("status " + response.statusCode());
        if (response.statusCode() == 421) {
            throw new NotOwnerException(detail);
        }
        if (response.statusCode() == 401) {
            throw new IOException("refused the cluster secret: " + detail);
        }
        throw new ForwardedProblemException(response.statusCode(), problem.path("title").asText("Error"), detail,
            problem.hasNonNull("field") ? problem.get("field").asText() : null);
    }
}
