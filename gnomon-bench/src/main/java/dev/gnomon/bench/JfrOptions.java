package dev.gnomon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code -XX:StartFlightRecording} option of a measured server. On top of JFR's own settings
 * it turns off Jdbi's {@code jdbi.statement} event, which Jdbi emits for every statement with its
 * SQL, its rendered parameters and a stack trace: during a map-reduce that alone took about 7 % of
 * the server's CPU outside the JIT compilers, a cost of the recording, not of Gnomon. The
 * benchmarks read heap, GC and execution samples from the recording, never that event.
 */
final class JfrOptions {

    private static final String NO_STATEMENT_EVENTS = """
        <?xml version="1.0" encoding="UTF-8"?>
        <configuration version="2.0" label="Gnomon bench: no per-statement events">
          <event name="jdbi.statement">
            <setting name="enabled">false</setting>
          </event>
        </configuration>
        """;

    private JfrOptions() {
    }

    /** Records to {@code jfr} with JFR's {@code settings} ("default" or "profile"), less the per-statement event. */
    static String recording(Path jfr, String settings) throws IOException {
        Path extra = jfr.toAbsolutePath().resolveSibling("no-statement-events.jfc");
        Files.createDirectories(extra.getParent());
        Files.writeString(extra, NO_STATEMENT_EVENTS);
        return "-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=" + settings + ",settings="
            + extra + ",dumponexit=true";
    }
}
