package dev.gnomon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The logging of the {@code gnomon} command, set up in code: lines on standard error, Gnomon's
 * own at INFO (or the level in {@code GNOMON_LOG_LEVEL}), the libraries' at WARN. Logback finds it
 * through {@code META-INF/services}. Reading the same from a {@code logback.xml} loads an XML
 * parser and Logback's configuration model, several hundred classes, which cost a server start
 * more than a tenth of its time. A file named by {@code -Dlogback.configurationFile}, or a
 * {@code logback-test.xml} on the class path, still takes precedence.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    /** Libraries whose INFO lines say nothing a Gnomon user needs. */
    static final String[] QUIET = {"org.flywaydb", "com.zaxxer.hikari", "org.eclipse.jetty", "io.javalin"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.gnomon").setLevel(level(System.getenv("GNOMON_LOG_LEVEL")));
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named (any case), INFO when none or an unknown one is. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.strip(), Level.INFO);
    }
}
