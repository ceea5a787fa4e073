package dev.gnomon.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the Server-Sent Events of a live log: {@code line} events hand a {@link LogEntry} on,
 * the {@code end} event says how the instance ended. Remembers the last event id for a resume.
 */
final class LogEvents {

    private final ObjectMapper mapper = Json.mapper();
    private final Consumer<LogEntry> sink;
    private String lastId;

    LogEvents(Consumer<LogEntry> sink, String lastId) {
        this.sink = sink;
        this.lastId = lastId;
    }

    /** The id of the last line received, or null. */
    String lastId() {
        return lastId;
    }

    /** Reads events until the end event (its state) or the end of the stream (null). */
    InstanceState read(InputStream stream) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 64 * 1024);
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if ("end".equals(event)) {
                    return mapper.readTree(data.toString()).path("state").traverse(mapper)
                        .readValueAs(InstanceState.class);
                }
                if ("line".equals(event)) {
                    sink.accept(entry(data.toString()));
                    if (id != null) {
                        lastId = id;
                    }
                }
                event = null;
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = value(line, 6);
            } else if (line.startsWith("id:")) {
                id = value(line, 3);
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(value(line, 5));
            }
        }
        return null;
    }

    private LogEntry entry(String json) throws JsonProcessingException {
        return mapper.readValue(json, LogEntry.class);
    }

    private static String value(String line, int from) {
        return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
    }
}
