package dev.gnomon.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server on a free loopback port: answers each "METHOD path" with a canned
 * response and records every request it receives, so tests can check what the client sent.
 */
public final class FakeServer implements AutoCloseable {

    /** A request as the server saw it; {@code query} is raw (still encoded), null when absent. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {

        /** The first value of the header, whatever the case of its name (HTTP header names are case-insensitive). */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record Response(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Response> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeServer(HttpServer server) {
        this.server = server;
    }

    public static FakeServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeServer fake = new FakeServer(server);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} with JSON, or with a problem document when the status is 400 or more. */
    public FakeServer respond(String method, String path, int status, String body) {
        String type = status >= 400 ? "application/problem+json" : "application/json";
        return respond(method, path, status, type, body);
    }

    public FakeServer respond(String method, String path, int status, String contentType, String body) {
        routes.put(method + " " + path, new Response(status, contentType, body));
        return this;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public Request last() {
        if (requests.isEmpty()) {
            throw new AssertionError("the fake server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body));
            Response response = routes.getOrDefault(method + " " + path, new Response(404,
                "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"the fake server has no route for " + method + " " + path + "\"}"));
            byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
