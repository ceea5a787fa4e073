package dev.gnomon.tests.fault;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the proxy's threads, named {@code fault-proxy-<port>-<role>-<n>}, and remembers them so
 * that closing the proxy can wait until every one of them has ended.
 */
final class ProxyThreads {

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();

    ProxyThreads(String prefix) {
        this.prefix = prefix;
    }

    /** A factory for one pool of the proxy, its threads named after {@code role}. */
    ThreadFactory named(String role) {
        return body -> {
            Thread thread = new Thread(body, prefix + "-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            started.removeIf(t -> t.getState() == Thread.State.TERMINATED);
            started.add(thread);
            return thread;
        };
    }

    /** Waits up to {@code timeout} for every thread made here to end; returns those still alive. */
    List<Thread> awaitAllEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
        }
        return started.stream().filter(Thread::isAlive).toList();
    }
}
