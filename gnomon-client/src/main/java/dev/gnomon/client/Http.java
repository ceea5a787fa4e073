package dev.gnomon.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.protocol.api.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/** Sends one request, turns the answer into a resource or an exception. Shared by every resource group. */
final class Http {

    private static final String JSON = "application/json";
    private static final int MAX_ERROR_TEXT = 500;
    /** The header that lets the server act once on a call that arrives more than once. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** How many times a repeatable call is sent when its connection fails before an answer. */
    static final int MAX_ATTEMPTS = 2;

    private final HttpClient client;
    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper mapper = Json.mapper();

    Http(String baseUrl, String authorization, Duration timeout) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.timeout = timeout;
        // HTTP/1.1 because the JDK's default (HTTP/2 with an h2c upgrade) buys nothing for small JSON calls.
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    }

    JavaType type(Class<?> resource) {
        return mapper.constructType(resource);
    }

    JavaType pageOf(Class<?> item) {
        return mapper.getTypeFactory().constructParametricType(Page.class, item);
    }

    /** Calls the API and reads the answer as {@code type}; {@code body} may be null for no body. */
    <T> T call(String method, String pathAndQuery, Object body, JavaType type) {
        return read(send(method, pathAndQuery, body, true, null), method, pathAndQuery, type);
    }

    /**
     * As {@link #call}, for a call that makes something (a run) and carries an idempotency key:
     * the server acts on it once however many times it arrives, so the client may send it again
     * when the connection fails before an answer.
     */
    <T> T callOnce(String method, String pathAndQuery, Object body, JavaType type, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank; give a new key, such as a UUID,"
                + " for each new run");
        }
        return read(send(method, pathAndQuery, body, true, idempotencyKey), method, pathAndQuery, type);
    }

    private <T> T read(HttpResponse<String> response, String method, String pathAndQuery, JavaType type) {
        String url = baseUrl + pathAndQuery;
        try {
            return mapper.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            Problem problem = new Problem(null, "Unreadable response", response.statusCode(),
                "the answer is not a valid " + type.getRawClass().getSimpleName() + ": " + e.getOriginalMessage(),
                pathAndQuery, null);
            throw new GnomonApiException(problem, method, url);
        }
    }

    /** Calls the API where the answer has no body worth reading (204). */
    void callNoContent(String method, String pathAndQuery, Object body) {
        send(method, pathAndQuery, body, true, null);
    }

    /**
     * Opens a GET whose answer is read as it comes (plain text, Server-Sent Events). The caller
     * closes the stream. An error status throws as {@link #call} does.
     *
     * @param headers extra request headers as name, value pairs
     */
    InputStream open(String pathAndQuery, String accept, String... headers) {
        String url = baseUrl + pathAndQuery;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Accept", accept + ", application/problem+json")
            .header("User-Agent", "gnomon-client")
            .GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GnomonConnectionException(url, "interrupted while waiting for the answer to GET", e);
        } catch (IOException e) {
            throw new GnomonConnectionException(url, reason(e), e);
        }
        if (response.statusCode() >= 400) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw new GnomonApiException(problem(response.statusCode(), body, pathAndQuery), "GET", url);
        }
        return response.body();
    }

    /** The status of an unauthenticated GET, for health probes; never throws on an error status. */
    int status(String path) {
        HttpResponse<String> response = exchange(request("GET", path, null, false, null), "GET", baseUrl + path, true);
        return response.statusCode();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, Object body, boolean authenticated,
                                      String idempotencyKey) {
        String url = baseUrl + pathAndQuery;
        // A GET or PUT does the same however often it arrives, and so does a call with a key
        boolean repeatable = idempotencyKey != null || "GET".equals(method) || "PUT".equals(method);
        HttpResponse<String> response = exchange(request(method, pathAndQuery, body, authenticated, idempotencyKey),
            method, url, repeatable);
        if (response.statusCode() >= 400) {
            throw new GnomonApiException(problem(response.statusCode(), response.body(), pathAndQuery), method, url);
        }
        return response;
    }

    private HttpRequest request(String method, String pathAndQuery, Object body, boolean authenticated,
                                String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(timeout)
            .header("Accept", JSON + ", application/problem+json")
            .header("User-Agent", "gnomon-client");
        if (authenticated && authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (idempotencyKey != null) {
            builder.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            byte[] json = mapper.writeValueAsBytes(body);
            return builder.header("Content-Type", JSON)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Sends the request; a {@code repeatable} one is sent once more when the connection failed
     * before an answer came, other than by a timeout. That is the case of a kept-alive connection
     * that the server closed, after its idle timeout, just as the request went out on it: the
     * second try goes out on a new connection. A timeout is not retried, since the caller's
     * budget for the call is spent.
     */
    private HttpResponse<String> exchange(HttpRequest request, String method, String url, boolean repeatable) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GnomonConnectionException(url, "interrupted while waiting for the answer to " + method, e);
            } catch (HttpTimeoutException e) {
                throw new GnomonConnectionException(url, reason(e), e);
            } catch (IOException e) {
                if (!repeatable || attempt >= MAX_ATTEMPTS) {
                    throw new GnomonConnectionException(url, reason(e)
                        + (attempt > 1 ? " (tried " + attempt + " times)" : ""), e);
                }
            }
        }
    }

    private String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + timeout.toMillis() + " ms";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private Problem problem(int status, String text, String pathAndQuery) {
        String body = text == null ? "" : text.strip();
        if (body.startsWith("{")) {
            try {
                Problem sent = mapper.readValue(body, Problem.class);
                // A problem without a status still came with one on the wire; trust the wire.
                return sent.status() == status ? sent
                    : new Problem(sent.type(), sent.title(), status, sent.detail(), sent.instance(), sent.field());
            } catch (JsonProcessingException e) {
                // Not a problem document after all (a proxy's error page, say): fall through to the raw text.
            }
        }
        String detail = body.isEmpty() ? null
            : body.length() > MAX_ERROR_TEXT ? body.substring(0, MAX_ERROR_TEXT) + "..." : body;
        return new Problem(null, StatusText.of(status), status, detail, pathAndQuery, null);
    }
}
