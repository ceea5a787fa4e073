package dev.gnomon.server.store;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Turns consecutive log lines of one task attempt into one deflate-compressed blob and back.
 * Layout before compression: a format byte, the line count, then per line its sequence number
 * and time as differences from the previous line, the level, and the UTF-8 text with its length.
 */
public final class LogChunkCodec {

    private static final int FORMAT = 1;
    private static final LogLevel[] LEVELS = LogLevel.values();

    private LogChunkCodec() {
    }

    /** Bit of {@code level} in a chunk's set of levels present. */
    public static int bit(LogLevel level) {
        return 1 << level.ordinal();
    }

    /** The set of levels present in {@code lines}, as bits. */
    public static int levels(List<LogLine> lines) {
        int bits = 0;
        for (LogLine line : lines) {
            bits |= bit(line.level());
        }
        return bits;
    }

    public static byte[] encode(List<LogLine> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + lines.size() * 24);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 8192))) {
            out.writeByte(FORMAT);
            out.writeInt(lines.size());
            long seq = 0;
            long at = 0;
            for (LogLine line : lines) {
                long millis = line.at().toEpochMilli();
                out.writeLong(line.seq() - seq);
                out.writeLong(millis - at);
                out.writeByte(line.level().ordinal());
                byte[] text = (line.text() == null ? "" : line.text()).getBytes(StandardCharsets.UTF_8);
                out.writeInt(text.length);
                out.write(text);
                seq = line.seq();
                at = millis;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress log lines", e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    public static List<LogLine> decode(byte[] blob) {
        Inflater inflater = new Inflater();
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(
            new java.io.ByteArrayInputStream(blob), inflater, 8192))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("log chunk has format " + format + "; this server reads format "
                    + FORMAT);
            }
            int count = in.readInt();
            List<LogLine> lines = new ArrayList<>(count);
            long seq = 0;
            long at = 0;
            for (int i = 0; i < count; i++) {
                seq += in.readLong();
                at += in.readLong();
                LogLevel level = LEVELS[in.readUnsignedByte()];
                byte[] text = new byte[in.readInt()];
                in.readFully(text);
                lines.add(new LogLine(seq, Instant.ofEpochMilli(at), level, new String(text, StandardCharsets.UTF_8)));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a stored log chunk", e);
        } finally {
            inflater.end();
        }
    }
}
