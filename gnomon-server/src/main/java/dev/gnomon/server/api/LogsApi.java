package dev.gnomon.server.api;

import dev.gnomon.protocol.Json;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.Page;
import dev.gnomon.server.InvalidInputException;
import dev.gnomon.server.log.LogTail;
import dev.gnomon.server.log.TailCursor;
import dev.gnomon.server.store.InstanceStore;
import dev.gnomon.server.store.LogStore;
import dev.gnomon.server.store.LogStore.Filter;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's log: a JSON page, the whole log as plain text, and a live Server-Sent Events
 * stream. Every server answers from the database, whichever server owns the instance.
 */
final class LogsApi {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String EVENTS = "text/event-stream";
    private static final int BUFFER = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LogsApi.class);

    private final InstanceStore instances;
    private final LogStore logs;
    private final LogTail tail;

    LogsApi(InstanceStore instances, LogStore logs, LogTail tail) {
        this.instances = instances;
        this.logs = logs;
        this.tail = tail;
    }

    List<Route> routes() {
        return List.of(
            Route.get("/api/v1/instances/{id}/log", "The instance's log lines, by attempt and sequence number",
                Types.page(LogEntry.class), List.of("offset", "limit"), this::page),
            Route.stream("/api/v1/instances/{id}/log/text", "The whole log as plain text, one line per entry"
                    + " ('attempt seq time LEVEL text'), filtered by lowest level and by a substring",
                TEXT, List.of("level", "contains"), this::text),
            Route.stream("/api/v1/instances/{id}/log/stream", "Follow the log live as Server-Sent Events: the"
                    + " history, then new lines ('line' events, JSON LogEntry; the id is the position for"
                    + " Last-Event-ID), and an 'end' event with the final state once the instance has ended",
                EVENTS, List.of("level", "contains"), this::stream));
    }

    private void page(Context ctx) {
        long id = Bodies.idParam(ctx, "id");
        instances.get(id);
        int offset = Bodies.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Bodies.intParam(ctx, "limit", 10_000, 1, 100_000);
        ctx.json(new Page<>(logs.read(id, offset, limit), logs.count(id), offset, limit));
    }

    private void text(Context ctx) throws IOException {
        long id = Bodies.idParam(ctx, "id");
        Filter filter = filter(ctx);
        instances.get(id);
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType(TEXT);
        Writer out = new BufferedWriter(new OutputStreamWriter(res.getOutputStream(), StandardCharsets.UTF_8), BUFFER);
        StringBuilder line = new StringBuilder(256);
        try {
            download(id, filter, out, line);
        } catch (UncheckedIOException viewerLeft) {
            LOG.debug("log download of instance {} ended early: {}", id, viewerLeft.getCause().toString());
        }
    }

    private void download(long id, Filter filter, Writer out, StringBuilder line) {
        logs.forEach(id, filter, entry -> {
            line.setLength(0);
            line.append(entry.attempt()).append(' ').append(entry.seq()).append(' ').append(entry.at()).append(' ')
                .append(entry.level()).append(' ').append(entry.text()).append('\n');
            try {
                out.append(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stream(Context ctx) throws IOException, InterruptedException {
        long id = Bodies.idParam(ctx, "id");
        Filter filter = filter(ctx);
        TailCursor cursor = TailCursor.parse(ctx.header("Last-Event-ID"));
        instances.get(id);
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType(EVENTS);
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        Writer out = new BufferedWriter(new OutputStreamWriter(res.getOutputStream(), StandardCharsets.UTF_8), BUFFER);
        try {
            out.write(": log of instance " + id + "\n\n");
            out.flush();
            follow(id, cursor, filter, out);
        } catch (IOException viewerLeft) {
            LOG.debug("live log of instance {} ended: the viewer left ({})", id, viewerLeft.toString());
        }
    }

    private void follow(long id, TailCursor cursor, Filter filter, Writer out) throws IOException,
        InterruptedException {
        InstanceState end = tail.follow(id, cursor, filter, new LogTail.Sink() {
            @Override
            public void line(LogEntry entry, TailCursor at) throws IOException {
                out.write("id: ");
                out.write(at.toString());
                out.write("\nevent: line\ndata: ");
                out.write(Json.mapper().writeValueAsString(entry));
                out.write("\n\n");
            }

            @Override
            public void idle() throws IOException {
                out.write(": idle\n\n");
                out.flush();
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        });
        out.write("event: end\ndata: {\"state\":\"" + end + "\"}\n\n");
        out.flush();
    }

    private static Filter filter(Context ctx) {
        String level = ctx.queryParam("level");
        String contains = ctx.queryParam("contains");
        LogLevel min = null;
        if (level != null && !level.isBlank()) {
            try {
                min = LogLevel.valueOf(level.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("level", "level '" + level + "' is not one of "
                    + Arrays.stream(LogLevel.values()).map(Enum::name).collect(Collectors.joining(", "))
                    + "; lines at that level and above are kept");
            }
        }
        return new Filter(min, contains == null || contains.isEmpty() ? null : contains);
    }
}
