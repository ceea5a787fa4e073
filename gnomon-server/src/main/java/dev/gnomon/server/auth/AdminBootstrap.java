package dev.gnomon.server.auth;

import dev.gnomon.server.store.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At first start, creates the {@code admin} user. There is no default password: it is taken
 * from {@code gnomon.admin.password} or made at random, printed once and written to a file only
 * the server's user can read.
 */
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    public static final String ADMIN = "admin";
    public static final String PASSWORD_FILE = "initial-admin-password";

    private AdminBootstrap() {
    }

    /**
     * Creates the admin with {@code admin}'s password when there is no user yet.
     *
     * @return the generated password when one was made now; empty otherwise
     */
    public static Optional<String> ensureAdmin(UserStore users, AdminPassword admin, Path dataDir, long now) {
        if (users.count() > 0) {
            if (admin.hashedAhead()) {
                LOG.info("user 'admin' exists already; the password hashed ahead is not used");
            }
            return Optional.empty();
        }
        String password = admin.password();
        try {
            users.create(ADMIN, admin.hash(), "ADMIN", now);
        } catch (RuntimeException e) {
            // servers started together on a new database: another one created the admin first
            if (users.count() > 0) {
                LOG.info("user 'admin' was created by another server starting at the same time");
                return Optional.empty();
            }
            throw e;
        }
        if (!admin.generated()) {
            LOG.info("created user 'admin' with the password from gnomon.admin.password");
            return Optional.empty();
        }
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.writeString(file, password + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's own permissions apply
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        LOG.warn("\n\n  Created user 'admin' with password: {}\n  (also written to {}; change it or"
            + " delete the file once noted)\n", password, file);
        return Optional.of(password);
    }
}
