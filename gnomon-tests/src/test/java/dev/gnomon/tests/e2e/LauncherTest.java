package dev.gnomon.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.tests.GnomonJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ./gnomon} launcher of a source checkout: its first start of a server prepares the
 * class-data archive, and later starts use it and still come up.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CDS = ROOT.resolve("gnomon-cli/target/cds");

    private Path work;

    @BeforeEach
    void work() throws IOException {
        work = Files.createTempDirectory("gnomon-launcher-");
    }

    @AfterEach
    void removeWork() {
        GnomonJvm.deleteQuietly(work);
    }

    @Test
    void firstStartPreparesTheArchiveAndTheNextStartUsesIt() throws Exception {
        GnomonJvm.deleteQuietly(CDS);

        Run first = launch("first");
        assertThat(first.exit).as("first start, output:\n%s", first.output).isZero();
        assertThat(first.output).contains("preparing a class-data archive").doesNotContain("could not prepare");
        List<Path> archives = archives();
        assertThat(archives).as("archives in %s", CDS).hasSize(1);

        Run second = launch("second");
        assertThat(second.exit).as("second start, output:\n%s", second.output).isZero();
        assertThat(second.output).contains("Gnomon is up.").doesNotContain("preparing").doesNotContain("[warning]");
        assertThat(archives()).isEqualTo(archives);
    }

    @Test
    void theArchiveCanBeTurnedOff() throws Exception {
        Run run = launch("off", "GNOMON_CDS", "off");
        assertThat(run.exit).as("output:\n%s", run.output).isZero();
        assertThat(run.output).contains("Gnomon is up.").doesNotContain("class-data archive");
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(CDS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private Run launch(String name, String... env) throws Exception {
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("gnomon").toString(), "up",
            "--data-dir", work.resolve(name).toString(), "--port", "0", "--exit-when-started")
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("GNOMON_JAVA_OPTS");
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the launcher did not end within 2 minutes:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String output) {
    }
}
