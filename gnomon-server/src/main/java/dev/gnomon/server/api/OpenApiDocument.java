package dev.gnomon.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.Problem;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes the OpenAPI 3.1 document from the route table and the resource records. */
final class OpenApiDocument {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private final Map<String, ObjectNode> schemas = new TreeMap<>();

    static ObjectNode of(List<Route> routes, String version) {
        return new OpenApiDocument().build(routes, version);
    }

    private ObjectNode build(List<Route> routes, String version) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Gnomon API").put("version", version)
            .put("description", "Jobs, schedules, instances and workers of a Gnomon cluster. Errors are"
                + " application/problem+json (RFC 9457).");
        ObjectNode security = doc.putObject("components").putObject("securitySchemes");
        security.putObject("basic").put("type", "http").put("scheme", "basic");
        security.putObject("token").put("type", "http").put("scheme", "bearer");
        doc.putArray("security").add(Json.mapper().createObjectNode().set("basic", Json.mapper().createArrayNode()))
            .add(Json.mapper().createObjectNode().set("token", Json.mapper().createArrayNode()));
        ObjectNode paths = doc.putObject("paths");
        for (Route r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            operation(path.putObject(r.method()), r);
        }
        schema(Problem.class);
        ObjectNode out = (ObjectNode) doc.get("components");
        ObjectNode s = out.putObject("schemas");
        schemas.forEach(s::set);
        return doc;
    }

    private void operation(ObjectNode op, Route r) {
        op.put("summary", r.summary());
        op.put("operationId", r.method() + r.path().replaceAll("[^A-Za-z0-9]+", "_"));
        ArrayNode params = op.putArray("parameters");
        Matcher m = PATH_PARAM.matcher(r.path());
        while (m.find()) {
            ObjectNode p = params.addObject().put("name", m.group(1)).put("in", "path").put("required", true);
            p.putObject("schema").put("type", m.group(1).equals("id") ? "integer" : "string");
        }
        for (String q : r.query()) {
            params.addObject().put("name", q).put("in", "query").put("required", false)
                .putObject("schema").put("type", q.equals("offset") || q.equals("limit") || q.equals("count")
                    || q.equals("job") ? "integer" : q.equals("force") ? "boolean" : "string");
        }
        if (r.produces().equals("text/event-stream")) {
            params.addObject().put("name", "Last-Event-ID").put("in", "header").put("required", false)
                .putObject("schema").put("type", "string");
        }
        if (r.request() != null) {
            op.putObject("requestBody").put("required", !r.path().endsWith("/run"))
                .putObject("content").putObject("application/json").set("schema", schema(r.request()));
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(String.valueOf(r.status())).put("description", "success");
        if (r.response() != null) {
            ok.putObject("content").putObject(r.produces()).set("schema", schema(r.response()));
        }
        ObjectNode problem = Json.mapper().createObjectNode();
        problem.putObject("application/problem+json").putObject("schema").put("$ref", "#/components/schemas/Problem");
        for (String status : List.of("400", "401", "404", "409", "503")) {
            responses.putObject(status).put("description", Problems.title(Integer.parseInt(status)))
                .set("content", problem.deepCopy());
        }
    }

    private ObjectNode schema(Type type) {
        ObjectNode node = Json.mapper().createObjectNode();
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Map.class.isAssignableFrom(raw)) {
                node.put("type", "object").set("additionalProperties", schema(p.getActualTypeArguments()[1]));
                return node;
            }
            if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
                node.put("type", "array").set("items", schema(p.getActualTypeArguments()[0]));
                return node;
            }
            String name = raw.getSimpleName() + "Of" + ((Class<?>) p.getActualTypeArguments()[0]).getSimpleName();
            if (!schemas.containsKey(name)) {
                ObjectNode obj = Json.mapper().createObjectNode().put("type", "object");
                schemas.put(name, obj);
                ObjectNode props = obj.putObject("properties");
                props.putObject("items").put("type", "array").set("items", schema(p.getActualTypeArguments()[0]));
                props.putObject("total").put("type", "integer");
                props.putObject("offset").put("type", "integer");
                props.putObject("limit").put("type", "integer");
            }
            return node.put("$ref", "#/components/schemas/" + name);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return node.put("type", "string");
        }
        if (c == Instant.class) {
            return node.put("type", "string").put("format", "date-time");
        }
        if (c == Duration.class) {
            return node.put("type", "string").put("format", "duration");
        }
        if (c == boolean.class || c == Boolean.class) {
            return node.put("type", "boolean");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return node.put("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return node.put("type", "number");
        }
        if (c.isEnum()) {
            ArrayNode values = node.put("type", "string").putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString());
            }
            return node;
        }
        if (c.isRecord()) {
            if (!schemas.containsKey(c.getSimpleName())) {
                ObjectNode obj = Json.mapper().createObjectNode().put("type", "object");
                schemas.put(c.getSimpleName(), obj);
                ObjectNode props = obj.putObject("properties");
                for (RecordComponent rc : c.getRecordComponents()) {
                    props.set(rc.getName(), schema(rc.getGenericType()));
                }
            }
            return node.put("$ref", "#/components/schemas/" + c.getSimpleName());
        }
        return node.put("type", "object");
    }
}
