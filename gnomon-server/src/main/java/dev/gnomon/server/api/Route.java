package dev.gnomon.server.api;

import io.javalin.http.Handler;
import java.lang.reflect.Type;
import java.util.List;

/**
 * One route of the REST API: what it does and what it takes and gives. The same list registers
 * the handlers and writes the OpenAPI document, so the two cannot drift apart.
 *
 * @param status   the status of a successful answer
 * @param request  the body type, or null
 * @param response the answer's body type, or null for no body
 * @param query    query parameters it reads
 * @param produces the answer's media type
 */
public record Route(String method, String path, String summary, int status, Type request, Type response,
                    List<String> query, Handler handler, String produces) {

    public static final String JSON = "application/json";

    public Route(String method, String path, String summary, int status, Type request, Type response,
                 List<String> query, Handler handler) {
        this(method, path, summary, status, request, response, query, handler, JSON);
    }

    /** A GET whose answer is text of another media type, written as it is produced. */
    public static Route stream(String path, String summary, String mediaType, List<String> query, Handler handler) {
        return new Route("get", path, summary, 200, null, String.class, query, handler, mediaType);
    }

    public static Route get(String path, String summary, Type response, List<String> query, Handler handler) {
        return new Route("get", path, summary, 200, null, response, query, handler);
    }

    public static Route post(String path, String summary, int status, Type request, Type response, Handler handler) {
        return new Route("post", path, summary, status, request, response, List.of(), handler);
    }

    public static Route put(String path, String summary, Type request, Type response, Handler handler) {
        return new Route("put", path, summary, 200, request, response, List.of(), handler);
    }

    public static Route delete(String path, String summary, List<String> query, Handler handler) {
        return new Route("delete", path, summary, 204, null, null, query, handler);
    }
}
