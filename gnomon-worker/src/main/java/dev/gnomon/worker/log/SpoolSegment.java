package dev.gnomon.worker.log;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of an attempt's spooled log: consecutive lines from {@code firstSeq}, named
 * {@code <taskId>-<attempt>-<firstSeq>.seg}. A file starts with a header (magic, format, kind,
 * instance id, lines it stands for when it is a drop marker); each record is the text's byte
 * length, seq, epoch milliseconds, level and the UTF-8 text. A record cut short by a crash is
 * cut off when the spool is opened again.
 */
final class SpoolSegment {

    static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d+)\\.seg");
    private static final int MAGIC = 0x474e4c47;
    private static final int FORMAT = 1;
    static final int HEADER_BYTES = 4 + 1 + 1 + 8 + 8;
    static final int RECORD_BYTES = 4 + 8 + 8 + 1;
    private static final LogLevel[] LEVELS = LogLevel.values();

    final Path path;
    final long firstSeq;
    /** Lines dropped that this one-line marker segment stands for; 0 for a segment of real lines. */
    final long markerFor;
    long lastSeq;
    long bytes;
    long lastAtMillis;
    private DataOutputStream out;
    /** Where the last read stopped: after the record of {@code readSeq}, at byte {@code readOffset}. */
    private long readSeq;
    private long readOffset = HEADER_BYTES;

    private SpoolSegment(Path path, long firstSeq, long markerFor) {
        this.path = path;
        this.firstSeq = firstSeq;
        this.markerFor = markerFor;
        this.lastSeq = firstSeq - 1;
        this.readSeq = firstSeq - 1;
    }

    static Path pathOf(Path dir, long taskId, int attempt, long firstSeq) {
        return dir.resolve(taskId + "-" + attempt + "-" + firstSeq + ".seg");
    }

    /** A new file, open for appending. */
    static SpoolSegment create(Path path, long firstSeq, long instanceId, long markerFor) throws IOException {
        SpoolSegment s = new SpoolSegment(path, firstSeq, markerFor);
        s.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024));
        s.out.writeInt(MAGIC);
        s.out.writeByte(FORMAT);
        s.out.writeByte(markerFor > 0 ? 1 : 0);
        s.out.writeLong(instanceId);
        s.out.writeLong(markerFor);
        s.bytes = HEADER_BYTES;
        return s;
    }

    boolean isMarker() {
        return markerFor > 0;
    }

    boolean writable() {
        return out != null;
    }

    /** Bytes a line takes in a segment. */
    static long size(byte[] text) {
        return RECORD_BYTES + text.length;
    }

    void write(long seq, long atMillis, LogLevel level, byte[] text) throws IOException {
        out.writeInt(text.length);
        out.writeLong(seq);
        out.writeLong(atMillis);
        out.writeByte(level.ordinal());
        out.write(text);
        lastSeq = seq;
        lastAtMillis = atMillis;
        bytes += size(text);
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** No more lines go into this file. */
    void seal() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    void delete() throws IOException {
        seal();
        Files.deleteIfExists(path);
    }

    /** Reads lines after {@code afterSeq} into {@code into}, at most {@code maxLines} or about {@code maxChars}. */
    void read(long afterSeq, int maxLines, int maxChars, List<LogLine> into) throws IOException {
        flush();
        int chars = 0;
        boolean resume = afterSeq >= readSeq;
        long offset = resume ? readOffset : HEADER_BYTES;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.position(offset);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel),
                64 * 1024));
            while (into.size() < maxLines && chars < maxChars) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                long seq = in.readLong();
                if (seq > lastSeq) {
                    return;
                }
                if (seq <= afterSeq) {
                    in.skipNBytes(8 + 1 + length);
                } else {
                    long at = in.readLong();
                    LogLevel level = LEVELS[in.readUnsignedByte()];
                    byte[] text = in.readNBytes(length);
                    into.add(new LogLine(seq, Instant.ofEpochMilli(at), level,
                        new String(text, StandardCharsets.UTF_8)));
                    chars += length + 64;
                }
                offset += RECORD_BYTES + length;
                readSeq = seq;
                readOffset = offset;
            }
        }
    }

    /** A file left by an earlier run; its torn last record, if any, is cut off. Null when not a segment. */
    static Recovered recover(Path path) throws IOException {
        Matcher m = NAME.matcher(path.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        long taskId = Long.parseLong(m.group(1));
        int attempt = Integer.parseInt(m.group(2));
        long firstSeq = Long.parseLong(m.group(3));
        try (InputStream raw = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != FORMAT) {
                return null;
            }
            in.readUnsignedByte();
            long instanceId = in.readLong();
            SpoolSegment s = new SpoolSegment(path, firstSeq, in.readLong());
            long good = HEADER_BYTES;
            while (true) {
                try {
                    int length = in.readInt();
                    long seq = in.readLong();
                    long at = in.readLong();
                    in.readUnsignedByte();
                    in.skipNBytes(length);
                    s.lastSeq = seq;
                    s.lastAtMillis = at;
                    good += RECORD_BYTES + length;
                } catch (EOFException torn) {
                    break;
                }
            }
            s.bytes = good;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                if (ch.size() > good) {
                    ch.truncate(good);
                }
            }
            return new Recovered(taskId, attempt, instanceId, s);
        } catch (EOFException shortHeader) {
            return null;
        }
    }

    record Recovered(long taskId, int attempt, long instanceId, SpoolSegment segment) {
    }
}
