package dev.gnomon.server.auth;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The password the {@code admin} user gets at first start, and its hash. The hash is a
 * deliberately slow PBKDF2 run (about a second of one core on a cold JVM), so a server that knows
 * its database is new starts it on a thread of its own with {@link #hashAhead()}, to overlap the
 * migrations; otherwise {@link #hash()} makes it when it is asked for.
 */
public final class AdminPassword {

    private final String password;
    private final boolean generated;
    private volatile CompletableFuture<String> ahead;

    private AdminPassword(String password, boolean generated) {
        this.password = password;
        this.generated = generated;
    }

    /** The configured password, or else a random one. */
    public static AdminPassword of(Optional<String> configured) {
        return configured.map(p -> new AdminPassword(p, false))
            .orElseGet(() -> new AdminPassword(Secrets.password(20), true));
    }

    /** Starts hashing now, on a thread of its own; {@link #hash()} then waits for that run. */
    public AdminPassword hashAhead() {
        if (ahead == null) {
            ahead = CompletableFuture.supplyAsync(() -> PasswordHasher.hash(password), task -> {
                Thread t = new Thread(task, "gnomon-admin-hash");
                t.setDaemon(true);
                t.start();
            });
        }
        return this;
    }

    public String password() {
        return password;
    }

    /** True when the password was made at random rather than configured. */
    public boolean generated() {
        return generated;
    }

    /** The password's hash, as {@link PasswordHasher#hash} makes it. */
    public String hash() {
        CompletableFuture<String> started = ahead;
        if (started == null) {
            return PasswordHasher.hash(password);
        }
        try {
            return started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** True when {@link #hashAhead()} was called. */
    public boolean hashedAhead() {
        return ahead != null;
    }
}
