package dev.gnomon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogSetupTest {

    @Test
    void logbackFindsItThroughTheServiceFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()))
            .contains(LogSetup.class.getName());
    }

    @Test
    void gnomonSaysWhatItDoesOnStandardErrorAndTheLibrariesOnlyWarn() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);

        assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(LogSetup.PATTERN);
        assertThat(context.getLogger("dev.gnomon.server.GnomonServer").isInfoEnabled()).isTrue();
        assertThat(context.getLogger("org.flywaydb.core.Flyway").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled()).isTrue();
        assertThat(context.getLogger("org.h2.Driver").isInfoEnabled()).isFalse();
        context.stop();
    }

    @Test
    void gnomonLogLevelNamesTheLevelOfGnomonsOwnLines() {
        assertThat(LogSetup.level(null)).isEqualTo(Level.INFO);
        assertThat(LogSetup.level(" ")).isEqualTo(Level.INFO);
        assertThat(LogSetup.level("debug")).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.level("WARN")).isEqualTo(Level.WARN);
        assertThat(LogSetup.level("loud")).isEqualTo(Level.INFO);
    }
}
