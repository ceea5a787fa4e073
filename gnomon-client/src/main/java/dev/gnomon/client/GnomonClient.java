package dev.gnomon.client;

import dev.gnomon.protocol.api.ClusterResource;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * A client for one Gnomon cluster's REST API. Any server of the cluster accepts any call.
 * Thread-safe; build one and share it.
 *
 * <pre>{@code
 * GnomonClient client = GnomonClient.builder()
 *     .baseUrl("http://127.0.0.1:7700")
 *     .basicAuth("admin", password)
 *     .timeout(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 */
public final class GnomonClient {

    /** Where a server listens when started with its defaults on this machine. */
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:7700";
    /** How long a call may take, connecting included, unless {@link Builder#timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final Http http;
    private final Apps apps;
    private final Jobs jobs;
    private final Instances instances;
    private final Workers workers;
    private final Tokens tokens;

    private GnomonClient(String baseUrl, Http http) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.apps = new Apps(http);
        this.jobs = new Jobs(http);
        this.instances = new Instances(http);
        this.workers = new Workers(http);
        this.tokens = new Tokens(http);
    }

    /** Starts a builder with {@link #DEFAULT_BASE_URL}, no credentials and {@link #DEFAULT_TIMEOUT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL calls go to, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public Apps apps() {
        return apps;
    }

    public Jobs jobs() {
        return jobs;
    }

    public Instances instances() {
        return instances;
    }

    public Workers workers() {
        return workers;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** The servers of the cluster, their endpoints, heartbeat age and the apps each owns. */
    public ClusterResource cluster() {
        return http.call("GET", Paths.of("cluster").toString(), null, http.type(ClusterResource.class));
    }

    /**
     * Asks the server whether it is live ({@code /healthz}) and ready ({@code /readyz}). These
     * endpoints need no credentials. Throws {@link GnomonConnectionException} when the server
     * cannot be reached.
     */
    public Health health() {
        return new Health(http.status("/healthz") == 200, http.status("/readyz") == 200);
    }

    /** Configures a {@link GnomonClient}. Each setter checks its value at once. */
    public static final class Builder {

        private String baseUrl = DEFAULT_BASE_URL;
        private String token;
        private String basicUser;
        private String basicPassword;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** The server's URL, such as {@code http://127.0.0.1:7700}; a path prefix is kept. */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "baseUrl");
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw notHttp(url);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw notHttp(url);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl '" + url + "' must not have a query or a fragment");
            }
            this.baseUrl = uri.toString().replaceAll("/+$", "");
            return this;
        }

        private static IllegalArgumentException notHttp(String url) {
            return new IllegalArgumentException(
                "baseUrl '" + url + "' must be an http:// or https:// URL with a host, such as " + DEFAULT_BASE_URL);
        }

        /** Authenticates with an API token ({@code Authorization: Bearer}). */
        public Builder token(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            this.token = token.strip();
            return this;
        }

        /** Authenticates with a user name and password (HTTP Basic). */
        public Builder basicAuth(String user, String password) {
            if (user == null || user.isBlank() || user.contains(":")) {
                throw new IllegalArgumentException("user must be non-blank and must not contain ':'");
            }
            this.basicUser = user;
            this.basicPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long one call may take, connecting included. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Builds the client; fails if both a token and a user were given. */
        public GnomonClient build() {
            if (token != null && basicUser != null) {
                throw new IllegalStateException("give either a token or a user and password, not both");
            }
            return new GnomonClient(baseUrl, new Http(baseUrl, authorization(), timeout));
        }

        private String authorization() {
            if (token != null) {
                return "Bearer " + token;
            }
            if (basicUser != null) {
                byte[] pair = (basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8);
                return "Basic " + Base64.getEncoder().encodeToString(pair);
            }
            return null;
        }
    }
}
