package dev.gnomon.server;

import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.auth.Secrets;
import dev.gnomon.server.job.JobSpecs;
import dev.gnomon.server.store.AppRow;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;

/**
 * The demo app and cron job of {@code gnomon up}. The app's secret is kept in the data
 * directory (readable by its owner only) so the local worker can join again after a restart.
 */
public final class DemoSetup {

    public static final String APP = "demo";
    public static final String JOB = "hello";
    static final String SECRET_FILE = "demo-app.secret";
    static final String SCRIPT = "echo \"Hello from Gnomon: instance $GNOMON_INSTANCE_ID, attempt $GNOMON_ATTEMPT,"
        + " on $(hostname) at $(date -u +%H:%M:%S)\"";

    /** The demo app's secret and job. */
    public record Demo(String secret, long jobId) {
    }

    private DemoSetup() {
    }

    public static Demo ensure(GnomonServer server, Path dataDir, Clock clock) {
        AppStore apps = new AppStore(server.database());
        JobStore jobs = new JobStore(server.database());
        Path secretFile = dataDir.resolve(SECRET_FILE);
        Optional<AppRow> existing = apps.find(APP);
        String secret;
        AppRow app;
        if (existing.isPresent() && Files.isRegularFile(secretFile)) {
            app = existing.get();
            secret = read(secretFile);
            if (!Secrets.same(Secrets.sha256(secret), app.secretHash())) {
                secret = rotate(apps, app, secretFile);
            }
        } else if (existing.isPresent()) {
            app = existing.get();
            secret = rotate(apps, app, secretFile);
        } else {
            secret = Secrets.token("gns_");
            app = apps.create(APP, "Demo app of gnomon up", Secrets.sha256(secret), clock.millis());
            write(secretFile, secret);
        }
        long appId = app.id();
        long jobId = jobs.list(appId, 0, 1000).stream().filter(j -> j.name().equals(JOB)).findFirst()
            .map(j -> j.id())
            .orElseGet(() -> {
                long now = clock.millis();
                JobRequest req = new JobRequest(APP, JOB, "Says hello every 10 seconds", true, "shell", SCRIPT,
                    ScheduleSpec.cron("0/10 * * * * ?", "UTC"), null, null, null, null, null);
                return jobs.create(JobSpecs.toRow(req, 0, appId, now, now)).id();
            });
        return new Demo(secret, jobId);
    }

    private static String rotate(AppStore apps, AppRow app, Path file) {
        String secret = Secrets.token("gns_");
        apps.updateSecret(app.id(), Secrets.sha256(secret));
        write(file, secret);
        return secret;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, secret + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's own permissions apply
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
