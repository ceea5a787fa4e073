package dev.gnomon.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.gnomon.protocol.Json;
import dev.gnomon.server.InvalidInputException;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads request bodies and query parameters, turning every mistake into an error naming the field. */
final class Bodies {

    private Bodies() {
    }

    static <T> T read(Context ctx, Class<T> type) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new InvalidInputException("body", "the request body is empty; expected a JSON object ("
                + type.getSimpleName() + ")");
        }
        return parse(body, type);
    }

    static <T> T readOptional(Context ctx, Class<T> type, T absent) {
        String body = ctx.body();
        return body.isBlank() ? absent : parse(body, type);
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonParseException e) {
            throw new InvalidInputException("body", "the request body is not valid JSON: " + e.getOriginalMessage()
                + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (InvalidFormatException e) {
            String field = path(e);
            Class<?> target = e.getTargetType();
            String expected = target != null && target.isEnum()
                ? "one of " + Arrays.stream(target.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                : "a value of type " + describe(target);
            throw new InvalidInputException(field, "field '" + field + "' is " + quote(e.getValue()) + "; expected "
                + expected);
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new InvalidInputException(field.isEmpty() ? "body" : field, (field.isEmpty() ? "the body" : "field '"
                + field + "'") + " has the wrong type; expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new InvalidInputException(field.isEmpty() ? "body" : field, "field '" + field + "': "
                + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "the request body cannot be read: " + e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as \"PT30S\"";
        }
        if (type == java.time.Instant.class) {
            return "an instant such as \"2026-12-01T10:00:00Z\"";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return type.isRecord() ? "a JSON object" : type.getSimpleName();
    }

    private static String quote(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw new InvalidInputException(name, name + " is " + value + "; allowed " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " is '" + raw + "'; expected a whole number " + min + "-" + max);
        }
    }

    static long idParam(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " '" + raw + "' is not a number");
        }
    }

    static Long optionalLong(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " '" + raw + "' is not a number");
        }
    }
}
