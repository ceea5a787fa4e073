package dev.gnomon.server.store;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Users and their API tokens; only hashes are stored. */
public final class UserStore {

    /** A stored user. */
    public record User(long id, String name, String passwordHash, String role) {
    }

    private final Jdbi jdbi;

    public UserStore(Database db) {
        this.jdbi = db.jdbi();
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    public long create(String name, String passwordHash, String role, long now) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO users (name, password_hash, role, created_at)"
                + " VALUES (:name, :hash, :role, :now)")
            .bind("name", name).bind("hash", passwordHash).bind("role", role).bind("now", now)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    public Optional<User> byName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, password_hash, role FROM users WHERE name = :name")
            .bind("name", name).map((rs, ctx) -> new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
            .findOne());
    }

    /**
     * A token's last use is recorded at most this often, so that concurrent calls with one token
     * do not queue on its row to write the time of each.
     */
    public static final long TOKEN_USE_RESOLUTION_MS = 60_000;

    /**
     * The user owning a token, found by the token's hash. Records the use when the recorded last
     * use is older than {@link #TOKEN_USE_RESOLUTION_MS} (or missing), so {@code last_used_at} is
     * at most that much behind.
     */
    public Optional<User> byTokenHash(String tokenHash, long now) {
        return jdbi.withHandle(h -> {
            Optional<TokenUser> found = h.createQuery("SELECT u.id, u.name, u.password_hash, u.role, t.last_used_at"
                    + " FROM users u JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new TokenUser(new User(rs.getLong(1), rs.getString(2), rs.getString(3),
                    rs.getString(4)), rs.getObject(5) == null ? null : rs.getLong(5)))
                .findOne();
            found.filter(t -> t.lastUsedAt() == null || t.lastUsedAt() <= now - TOKEN_USE_RESOLUTION_MS)
                // one auto-committed statement; of the calls that race here, the first records the use
                .ifPresent(t -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE token_hash = :hash"
                        + " AND (last_used_at IS NULL OR last_used_at <= :stale)")
                    .bind("now", now).bind("hash", tokenHash).bind("stale", now - TOKEN_USE_RESOLUTION_MS).execute());
            return found.map(TokenUser::user);
        });
    }

    private record TokenUser(User user, Long lastUsedAt) {
    }

    public long createToken(long userId, String name, String tokenHash, long now) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                + " VALUES (:user, :name, :hash, :now)")
            .bind("user", userId).bind("name", name).bind("hash", tokenHash).bind("now", now)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }
}
