package dev.gnomon.server.auth;

import dev.gnomon.server.store.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an {@code Authorization} header: {@code Bearer <token>} or HTTP Basic. A password
 * check costs a deliberate PBKDF2 run, so a successful one is remembered for a few minutes by
 * the SHA-256 of the credentials (never the password itself).
 */
public final class Authenticator {

    private static final long CACHE_MS = 5 * 60_000;

    private record Cached(Principal principal, long until) {
    }

    private final UserStore users;
    private final Clock clock;
    private final Map<String, Cached> verified = new ConcurrentHashMap<>();

    public Authenticator(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /** @throws UnauthorizedException when the header is missing or wrong */
    public Principal authenticate(String header) {
        if (header == null || header.isBlank()) {
            throw new UnauthorizedException("this call needs credentials: 'Authorization: Bearer <token>'"
                + " or HTTP Basic with a user's password (curl -u admin:PASSWORD)");
        }
        long now = clock.millis();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            return users.byTokenHash(Secrets.sha256(token), now)
                .map(u -> new Principal(u.id(), u.name(), u.role()))
                .orElseThrow(() -> new UnauthorizedException("the API token is not valid (revoked or mistyped)"));
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(header.substring(6).strip(), now);
        }
        throw new UnauthorizedException("unsupported Authorization scheme; use Bearer or Basic");
    }

    private Principal basic(String encoded, long now) {
        String key = Secrets.sha256(encoded);
        Cached cached = verified.get(key);
        if (cached != null && cached.until() > now) {
            return cached.principal();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UnauthorizedException("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new UnauthorizedException("the Basic credentials must be user:password");
        }
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Principal principal = users.byName(name)
            .filter(u -> PasswordHasher.verify(password, u.passwordHash()))
            .map(u -> new Principal(u.id(), u.name(), u.role()))
            .orElseThrow(() -> new UnauthorizedException("wrong user name or password"));
        verified.put(key, new Cached(principal, now + CACHE_MS));
        return principal;
    }
}
