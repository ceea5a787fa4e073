package dev.gnomon.protocol;

import java.net.URI;
import java.util.Locale;

/**
 * Where a server listens, and in which protocol. A caller picks an endpoint whose protocol it
 * speaks, so a message never reaches a port of another protocol.
 */
public record Endpoint(String protocol, String host, int port) {

    public static final String HTTP = "http";
    public static final String GRPC = "grpc";

    public Endpoint {
        if (protocol == null || protocol.isBlank()) {
            throw new IllegalArgumentException("endpoint protocol is empty; expected 'http' or 'grpc'");
        }
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port is " + port + "; allowed 1-65535");
        }
    }

    /**
     * Reads {@code http://host:port} (a bare {@code host:port} means http; a missing port means
     * 7700).
     */
    public static Endpoint parse(String text) {
        String value = text.strip();
        if (!value.contains("://")) {
            value = HTTP + "://" + value;
        }
        URI uri = URI.create(value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not a server address; expected http://host:port");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new IllegalArgumentException("'" + text + "': https is not supported yet; use http://host:port");
        }
        return new Endpoint(scheme, uri.getHost(), uri.getPort() < 0 ? 7700 : uri.getPort());
    }

    /** The base URI of an http endpoint, such as {@code http://host:7700}. */
    public URI httpUri() {
        if (!protocol.equals(HTTP)) {
            throw new IllegalStateException("endpoint " + this + " speaks " + protocol + ", not http");
        }
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public String toString() {
        return protocol + "://" + host + ":" + port;
    }
}
