package dev.gnomon.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds {@code /api/v1/...} paths with encoded segments and a query that leaves out absent values. */
final class Paths {

    static final String API = "/api/v1";

    private final StringBuilder path;
    private final List<String> query = new ArrayList<>();

    private Paths(String resource) {
        this.path = new StringBuilder(API).append('/').append(resource);
    }

    static Paths of(String resource) {
        return new Paths(resource);
    }

    Paths segment(Object value) {
        path.append('/').append(encode(String.valueOf(value)));
        return this;
    }

    Paths query(String name, Object value) {
        if (value != null) {
            query.add(name + "=" + encode(String.valueOf(value)));
        }
        return this;
    }

    @Override
    public String toString() {
        return query.isEmpty() ? path.toString() : path + "?" + String.join("&", query);
    }

    private static String encode(String text) {
        // URLEncoder writes form encoding; '+' for a space means '+' in a path, so use %20 everywhere.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
