package dev.gnomon.tests.fault;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks of one direction of one connection on their way, each held until its due time. Due
 * times never go backwards, so jitter cannot reorder bytes. The line holds at most
 * {@link #MAX_QUEUED_BYTES}; a full line blocks the reader, which then stops reading its socket,
 * so TCP pushes back on the sender as a slow link would.
 */
final class DelayLine {

    static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    /** Bytes read from the source, or the source's end of stream when {@code bytes} is null. */
    record Chunk(byte[] bytes, long dueNanos) {
        boolean endOfStream() {
            return bytes == null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long queuedBytes;
    private long lastDueNanos = Long.MIN_VALUE;
    private boolean closed;

    /** Queues bytes (or the end of stream, when null) to be delivered {@code delayNanos} from now. */
    void put(byte[] bytes, long delayNanos) throws InterruptedException {
        int size = bytes == null ? 0 : bytes.length;
        lock.lock();
        try {
            while (!closed && !chunks.isEmpty() && queuedBytes + size > MAX_QUEUED_BYTES) {
                changed.await();
            }
            if (closed) {
                return;
            }
            long due = System.nanoTime() + delayNanos;
            if (lastDueNanos != Long.MIN_VALUE && due - lastDueNanos < 0) {
                due = lastDueNanos;
            }
            lastDueNanos = due;
            chunks.addLast(new Chunk(bytes, due));
            queuedBytes += size;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first chunk to be due and takes it; null once the line is closed. */
    Chunk take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                Chunk head = chunks.peekFirst();
                if (head == null) {
                    changed.await();
                    continue;
                }
                long wait = head.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    changed.await(wait, TimeUnit.NANOSECONDS);
                    continue;
                }
                chunks.removeFirst();
                queuedBytes -= head.bytes() == null ? 0 : head.bytes().length;
                changed.signalAll();
                return head;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued and releases both the reader and the writer for good. */
    void close() {
        lock.lock();
        try {
            closed = true;
            chunks.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
