package dev.gnomon.worker.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that run a worker's tasks: up to {@code maxThreads}, waking no more of them than
 * the queued tasks need. A thread that ends a task takes the next queued one without parking;
 * a new task wakes (or starts) a thread only when none is awake and looking for work; and a
 * thread that takes a task while more wait, with none other looking, wakes one before it runs
 * its own, so that a task that blocks never holds back the ones behind it. Threads not yet
 * started are started together, as many as the queue needs.
 *
 * <p>A pool that wakes a thread for every task (as a {@link java.util.concurrent.ThreadPoolExecutor}
 * does once all its core threads exist) costs a wake-up and a sleep of a thread per task: for
 * short tasks, most of the worker's CPU. Here a burst of short tasks is run by the few threads
 * that are awake, one after another, while long tasks still each get a thread of their own.
 * Threads idle for {@code keepAlive} end.
 */
public final class TaskThreads extends AbstractExecutorService {

    private final int maxThreads;
    private final long keepAliveNanos;
    private final String namePrefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition ended = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** Threads alive. */
    private final List<Thread> alive = new ArrayList<>();
    /** Threads waiting for work that no wake-up has claimed yet. */
    private int idle;
    /**
     * Threads awake and not running a task: about to take one, or about to wait. A thread counts
     * itself in as soon as its task returns, before it takes the lock, so that a task queued
     * meanwhile wakes no other thread: that one is about to take it.
     */
    private final AtomicInteger searching = new AtomicInteger();
    /** Wake-ups given and not yet taken by a waiting thread. */
    private int wakeups;
    private int named;
    private boolean shutdown;

    public TaskThreads(int maxThreads, long keepAlive, TimeUnit unit, String namePrefix) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1, not " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = unit.toNanos(keepAlive);
        this.namePrefix = namePrefix;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the task threads are shut down");
            }
            queue.add(task);
            if (searching.get() == 0) {
                wakeOne();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Threads started since the pool was made; for tests. */
    int started() {
        lock.lock();
        try {
            return named;
        } finally {
            lock.unlock();
        }
    }

    /** Threads alive now; for tests and metrics. */
    public int threads() {
        lock.lock();
        try {
            return alive.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes a waiting thread; when none waits, starts threads while fewer than the maximum run, as
     * many as the queued tasks need beyond the threads already looking, at once: threads that do
     * not exist yet cannot be woken one after another as cheaply as parked ones, and a burst of
     * tasks that block (a lost worker's thousand tasks sent to this one) would otherwise start one
     * thread per thread start. With the lock held.
     */
    private void wakeOne() {
        if (idle > 0) {
            idle--;
            wakeups++;
            searching.incrementAndGet();
            work.signal();
            return;
        }
        int starts = Math.min(Math.max(1, queue.size() - searching.get()), maxThreads - alive.size());
        for (int i = 0; i < starts; i++) {
            searching.incrementAndGet();
            Thread t = new Thread(this::loop, namePrefix + (++named));
            t.setDaemon(true);
            alive.add(t);
            t.start();
        }
    }

    /** A thread's life: it starts searching (counted by whoever started it), and runs tasks until idle too long. */
    private void loop() {
        lock.lock();
        try {
            while (true) {
                Runnable task = queue.poll();
                if (task != null) {
                    if (searching.decrementAndGet() == 0 && !queue.isEmpty()) {
                        wakeOne();
                    }
                    lock.unlock();
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        Thread t = Thread.currentThread();
                        t.getUncaughtExceptionHandler().uncaughtException(t, e);
                    } finally {
                        Thread.interrupted();
                        searching.incrementAndGet();
                        lock.lock();
                    }
                    continue;
                }
                searching.decrementAndGet();
                if (shutdown || !awaitWakeup()) {
                    return;
                }
            }
        } finally {
            alive.remove(Thread.currentThread());
            if (alive.isEmpty()) {
                ended.signalAll();
            }
            lock.unlock();
        }
    }

    /**
     * Waits, with the lock held and counted as idle, until woken (true, counted as searching
     * again by the waker) or until idle for keepAlive or shut down (false, counted as neither).
     */
    private boolean awaitWakeup() {
        idle++;
        long nanos = keepAliveNanos;
        while (wakeups == 0) {
            if (nanos <= 0 || shutdown) {
                idle--;
                return false;
            }
            try {
                nanos = work.awaitNanos(nanos);
            } catch (InterruptedException e) {
                // an interrupt meant for a task that had ended; the thread goes on waiting
            }
        }
        wakeups--;
        return true;
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            alive.forEach(Thread::interrupt);
            work.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && alive.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && alive.isEmpty())) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = ended.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
