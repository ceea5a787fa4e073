package dev.gnomon.server.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * The request keys stored on the instances of a run-now call that carried an idempotency key: the
 * key itself for a single run, the key, '#' and the item's index for each run of a batch.
 */
public final class RunKeys {

    /** The longest idempotency key a call may carry. */
    public static final int MAX_LENGTH = 64;

    private RunKeys() {
    }

    /** The keys of the call's {@code count} instances in order, or null when the call carried no key. */
    static List<String> of(String requestKey, int count, boolean batch) {
        if (requestKey == null) {
            return null;
        }
        if (!batch) {
            if (count != 1) {
                throw new IllegalArgumentException("a single run makes one instance, not " + count);
            }
            return List.of(requestKey);
        }
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(requestKey + "#" + i);
        }
        return keys;
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
