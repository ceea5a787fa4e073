package dev.gnomon.server.dispatch;

/** The idempotency keys that run-now calls may carry. */
public final class RunKeys {

    /** The longest idempotency key a call may carry. */
    public static final int MAX_LENGTH = 64;

    private RunKeys() {
    }

    /**
     * Whether {@code key} may be an idempotency key: 1 to {@value #MAX_LENGTH} characters, each a
     * letter or digit of ASCII or one of {@code - _ . :}, so that a UUID or a client's own request id fits.
     */
    public static boolean valid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
