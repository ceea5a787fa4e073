package dev.gnomon.tests.fault;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;

/** Closing sockets without caring whether they were still open. */
final class Sockets {

    private Sockets() {
    }

    static void close(Closeable socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone: that is what was wanted
        }
    }

    /** Closes with SO_LINGER 0, so the peer gets a TCP reset rather than an orderly end of stream. */
    static void reset(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already: close below is then a no-op
        }
        close(socket);
    }
}
