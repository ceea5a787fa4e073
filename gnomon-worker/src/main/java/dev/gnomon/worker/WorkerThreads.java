package dev.gnomon.worker;

import dev.gnomon.worker.task.TaskThreads;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker's threads and facts about its host. */
final class WorkerThreads {

    private WorkerThreads() {
    }

    /**
     * Up to {@code maxTasks} task threads, woken only as many as the queued tasks need; the runner
     * never hands it more tasks than that.
     */
    static ExecutorService taskPool(int maxTasks) {
        return new TaskThreads(maxTasks, 60, TimeUnit.SECONDS, "gnomon-task-");
    }

    /** One thread for timeouts and heartbeats: each job on it is short. */
    static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("gnomon-worker-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    static String version() {
        String version = GnomonWorker.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0-SNAPSHOT";
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
