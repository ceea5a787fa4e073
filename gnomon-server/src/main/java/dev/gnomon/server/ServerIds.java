package dev.gnomon.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** Names a server: the configured id, or the host name with a random suffix. */
final class ServerIds {

    private ServerIds() {
    }

    /**
     * With embedded H2 only one process can open the data directory, so the id is kept there: a
     * restarted server takes its own leases back at once instead of waiting for them to expire.
     */
    static String resolve(String configured, Path dataDir, boolean embedded) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (!embedded) {
            return generate();
        }
        Path file = dataDir.resolve("server-id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = generate();
            Files.createDirectories(dataDir);
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the server id in " + file, e);
        }
    }

    private static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "server";
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        return host + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    }
}
