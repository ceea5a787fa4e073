package dev.gnomon.worker.log;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.worker.TaskLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/** A task's logger: formats like SLF4J, appends to the spool, and mirrors each line at DEBUG. */
public final class SpoolTaskLogger implements TaskLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.gnomon.worker.task-log");

    private final LogSpool spool;
    private final TaskRef ref;

    public SpoolTaskLogger(LogSpool spool, TaskRef ref) {
        this.spool = spool;
        this.ref = ref;
    }

    @Override
    public void debug(String pattern, Object... args) {
        write(LogLevel.DEBUG, pattern, args);
    }

    @Override
    public void info(String pattern, Object... args) {
        write(LogLevel.INFO, pattern, args);
    }

    @Override
    public void warn(String pattern, Object... args) {
        write(LogLevel.WARN, pattern, args);
    }

    @Override
    public void error(String pattern, Object... args) {
        write(LogLevel.ERROR, pattern, args);
    }

    /** Appends an already formatted line, such as one read from a process's output. */
    public void line(LogLevel level, String text) {
        spool.append(ref, level, text);
        if (LOG.isDebugEnabled()) {
            LOG.debug("task {} attempt {} {}: {}", ref.taskId(), ref.attempt(), level, text);
        }
    }

    private void write(LogLevel level, String pattern, Object... args) {
        FormattingTuple tuple = MessageFormatter.arrayFormat(pattern, args);
        String text = tuple.getMessage();
        if (tuple.getThrowable() != null) {
            text = text + " " + tuple.getThrowable();
        }
        line(level, text);
    }
}
