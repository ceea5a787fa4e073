package dev.gnomon.worker.shell;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.worker.log.SpoolTaskLogger;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** Copies one output stream of a process into the task log, line by line, on its own thread. */
final class OutputReader implements Runnable {

    /** Longer lines are cut here, so one runaway line cannot fill the worker's memory. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private final InputStream in;
    private final LogLevel level;
    private final SpoolTaskLogger log;
    private volatile String lastLine;

    OutputReader(InputStream in, LogLevel level, SpoolTaskLogger log) {
        this.in = in;
        this.level = level;
        this.log = log;
    }

    /** The last line read, or null. */
    String lastLine() {
        return lastLine;
    }

    @Override
    public void run() {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            boolean cut = false;
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        emit(line, cut);
                        line.setLength(0);
                        cut = false;
                    } else if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    } else {
                        cut = true;
                    }
                }
            }
            if (line.length() > 0 || cut) {
                emit(line, cut);
            }
        } catch (IOException e) {
            // the process and its pipe are gone; what was read is in the log
        }
    }

    private void emit(StringBuilder line, boolean cut) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        String text = cut ? line + " [line cut at " + MAX_LINE_CHARS + " characters]" : line.toString();
        lastLine = text;
        log.line(level, text);
    }
}
