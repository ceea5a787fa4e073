package dev.gnomon.client;

import dev.gnomon.protocol.api.AppCreated;
import dev.gnomon.protocol.api.AppRequest;
import dev.gnomon.protocol.api.AppResource;
import dev.gnomon.protocol.api.Page;

/** Apps: namespaces of jobs and of the workers that run them. Obtained from {@link GnomonClient#apps()}. */
public final class Apps {

    private final Http http;

    Apps(Http http) {
        this.http = http;
    }

    /** Creates an app; the answer holds its secret, shown this once. */
    public AppCreated create(AppRequest request) {
        return http.call("POST", Paths.of("apps").toString(), request, http.type(AppCreated.class));
    }

    /** Creates an app with a name (1-64 of letters, digits, '-', '_', '.') and an optional description. */
    public AppCreated create(String name, String description) {
        return create(new AppRequest(name, description));
    }

    /**
     * One page of apps.
     *
     * @param offset items to skip, or {@code null} for the server's default (0)
     * @param limit  page size, or {@code null} for the server's default
     */
    public Page<AppResource> list(Integer offset, Integer limit) {
        String path = Paths.of("apps").query("offset", offset).query("limit", limit).toString();
        return http.call("GET", path, null, http.pageOf(AppResource.class));
    }

    /** The app with this name; a {@link GnomonApiException} with status 404 when there is none. */
    public AppResource get(String name) {
        return http.call("GET", Paths.of("apps").segment(name).toString(), null, http.type(AppResource.class));
    }

    /**
     * Deletes an app. Without {@code force} the server refuses (409) while the app has jobs; with it,
     * the jobs go too.
     */
    public void delete(String name, boolean force) {
        Paths path = Paths.of("apps").segment(name);
        if (force) {
            path.query("force", true);
        }
        http.callNoContent("DELETE", path.toString(), null);
    }

    /** Issues a new secret for the app; the old one stops working at once. */
    public AppCreated rotateSecret(String name) {
        String path = Paths.of("apps").segment(name).segment("secret").toString();
        return http.call("POST", path, null, http.type(AppCreated.class));
    }
}
