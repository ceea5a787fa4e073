package dev.gnomon.tests.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * One direction of one connection: a reader that takes chunks off the source socket into a
 * {@link DelayLine}, and a writer that hands them to the sink when due, at the allowed rate. The
 * reader keeps going while the line has room, so many chunks are in flight at once and a slow
 * link still carries its full bandwidth-delay product.
 */
final class Pipe {

    static final int CHUNK_SIZE = 64 * 1024;

    private final Link link;
    private final Direction direction;
    private final Socket source;
    private final Socket sink;
    private final Faults faults;
    private final DelayLine line = new DelayLine();

    Pipe(Link link, Direction direction, Socket source, Socket sink, Faults faults) {
        this.link = link;
        this.direction = direction;
        this.source = source;
        this.sink = sink;
        this.faults = faults;
    }

    Direction direction() {
        return direction;
    }

    /** Reads the source until it ends; on a dead link every byte read is dropped. */
    void read() {
        byte[] buffer = new byte[CHUNK_SIZE];
        try {
            InputStream in = source.getInputStream();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    if (link.dead()) {
                        link.endpointGone(source);
                    } else {
                        line.put(null, faults.nextDelayNanos());
                    }
                    return;
                }
                if (!link.dead()) {
                    line.put(Arrays.copyOf(buffer, read), faults.nextDelayNanos());
                }
            }
        } catch (IOException e) {
            link.failed(source);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes each chunk to the sink when it is due; passes the end of stream on as a half-close. */
    void write() {
        TokenBucket bucket = faults.bucket(direction);
        try {
            OutputStream out = sink.getOutputStream();
            for (DelayLine.Chunk chunk = line.take(); chunk != null; chunk = line.take()) {
                if (chunk.endOfStream()) {
                    sink.shutdownOutput();
                    return;
                }
                byte[] bytes = chunk.bytes();
                for (int offset = 0; offset < bytes.length && !link.dead(); ) {
                    int allowed = bucket.take(bytes.length - offset);
                    out.write(bytes, offset, allowed);
                    offset += allowed;
                    faults.forwarded(direction, allowed);
                }
            }
        } catch (IOException e) {
            link.failed(sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops what is on its way and lets the writer end; the reader then drops what it reads. */
    void stop() {
        line.close();
    }
}
