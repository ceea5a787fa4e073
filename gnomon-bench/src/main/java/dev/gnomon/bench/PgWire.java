package dev.gnomon.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of PostgreSQL that counts the statements clients send: each
 * {@code Execute} ('E') of the extended query protocol and each simple {@code Query} ('Q'), the
 * same statements (BEGIN and COMMIT included) that {@code pg_stat_statements} would count. It
 * stands in for that extension, which needs a PostgreSQL restart to load. Clients must connect
 * without TLS ({@link #url()} says so), or the relay could not read the messages.
 */
final class PgWire implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket listener;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong roundTrips = new AtomicLong();

    private PgWire(ServerSocket listener) {
        this.listener = listener;
    }

    static PgWire start() throws IOException {
        PgWire wire = new PgWire(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        Thread accept = new Thread(wire::accept, "pg-wire-accept");
        accept.setDaemon(true);
        accept.start();
        return wire;
    }

    /** The bench database's JDBC URL through this relay. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/" + Pg.db + "?sslmode=disable"
            + "&gssEncMode=disable";
    }

    long statements() {
        return statements.get();
    }

    /**
     * Round trips counted so far: each {@code Sync} ('S') and each simple {@code Query} ('Q') is a
     * point where the client waits for the server's answer before it goes on.
     */
    long roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), 5432);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                daemon("pg-wire-up", () -> countingCopy(client, server));
                daemon("pg-wire-down", () -> copy(server, client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.out.println("pg-wire: " + e);
                }
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Client to server: the untyped start-up messages, then typed messages, counted by type. */
    private void countingCopy(Socket from, Socket to) {
        try (from; to) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream(), 65536));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to.getOutputStream(), 65536));
            int code;
            do {
                int len = in.readInt();
                out.writeInt(len);
                code = in.readInt();
                out.writeInt(code);
                relay(in, out, len - 8);
                out.flush();
            } while (code == SSL_REQUEST || code == GSS_REQUEST);
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                if (type == 'E' || type == 'Q') {
                    statements.incrementAndGet();
                }
                if (type == 'S' || type == 'Q') {
                    roundTrips.incrementAndGet();
                }
                int len = in.readInt();
                out.write(type);
                out.writeInt(len);
                relay(in, out, len - 4);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side closed the connection
        }
    }

    private static void relay(InputStream in, OutputStream out, int n) throws IOException {
        byte[] buf = new byte[Math.min(Math.max(n, 0), 65536)];
        while (n > 0) {
            int r = in.read(buf, 0, Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("connection closed inside a message");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void copy(Socket from, Socket to) {
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[65536];
            int r;
            while ((r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
