package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.MapTasks;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.TaskReport;
import dev.gnomon.protocol.WorkerHeartbeat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A worker connected to this server: what it can run and how busy it is. */
public final class WorkerSession {

    private final long appId;
    private final String workerId;
    private final Set<String> processors;
    private final Set<String> tags;
    private final int maxTasks;
    private final WorkerLink link;
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * Tasks sent on this channel before the worker's list of running tasks was reconciled with the
     * database: the worker could not have listed them, so they are not missing. Null once reconciled.
     */
    private volatile Set<Long> sentBeforeReconcile = ConcurrentHashMap.newKeySet();
    /** Map sub-tasks sent on this channel whose end the worker has not reported on it yet. */
    private final Set<Long> subTasksSent = ConcurrentHashMap.newKeySet();
    private volatile long lastSeenNanos;
    private volatile boolean open = true;
    private volatile boolean suspect;
    private volatile WorkerHeartbeat metrics;

    public WorkerSession(long appId, String workerId, Set<String> processors, Set<String> tags, int maxTasks,
                         WorkerLink link, long nowNanos) {
        this.appId = appId;
        this.workerId = workerId;
        this.processors = Set.copyOf(processors);
        this.tags = Set.copyOf(tags);
        this.maxTasks = Math.max(1, maxTasks);
        this.link = link;
        this.lastSeenNanos = nowNanos;
    }

    public long appId() {
        return appId;
    }

    public String workerId() {
        return workerId;
    }

    public Set<String> processors() {
        return processors;
    }

    public Set<String> tags() {
        return tags;
    }

    public int maxTasks() {
        return maxTasks;
    }

    /** The last heartbeat's load figures; null before the first heartbeat. */
    public WorkerHeartbeat metrics() {
        return metrics;
    }

    void metrics(WorkerHeartbeat heartbeat) {
        this.metrics = heartbeat;
    }

    /** Share of its slots in use, by this server's count or the worker's own, whichever is higher. */
    public double slotLoad() {
        WorkerHeartbeat m = metrics;
        int running = Math.max(inFlight.get(), m == null ? 0 : m.runningTasks());
        return (double) running / maxTasks;
    }

    public boolean canRun(String processor) {
        return processors.contains(processor);
    }

    public boolean hasRoom() {
        return open && !suspect && inFlight.get() < maxTasks;
    }

    public int inFlight() {
        return inFlight.get();
    }

    void taskStarted() {
        inFlight.incrementAndGet();
    }

    void taskEnded() {
        inFlight.updateAndGet(n -> Math.max(0, n - 1));
    }

    void setInFlight(int n) {
        inFlight.set(n);
    }

    public boolean send(Message message) {
        return sendAll(java.util.List.of(message));
    }

    /** Sends messages in order, bundled into as few frames as the worker reads; false when the channel is closed. */
    public boolean sendAll(java.util.List<? extends Message> messages) {
        Set<Long> early = sentBeforeReconcile;
        for (Message m : messages) {
            if (m instanceof DispatchTask d) {
                if (early != null) {
                    early.add(d.taskId());
                }
                if (MapTasks.isSubTaskKey(d.taskKey())) {
                    subTasksSent.add(d.taskId());
                }
            }
        }
        return open && link.sendAll(messages);
    }

    /**
     * Whether the report is on a map sub-task sent on this channel; an end's report also takes the
     * task off the list. A task sent before this channel (by another owner, or on an earlier
     * connection) is not on it.
     */
    boolean reportsOnSubTask(TaskReport report) {
        return report.phase().terminal() ? subTasksSent.remove(report.taskId())
            : subTasksSent.contains(report.taskId());
    }

    /**
     * The tasks sent on this channel so far, which the worker's hello could not list; from now on
     * sends are no longer recorded. Called once, when the channel is reconciled.
     */
    Set<Long> reconciling() {
        Set<Long> early = sentBeforeReconcile;
        sentBeforeReconcile = null;
        return early == null ? Set.of() : early;
    }

    public void touch(long nowNanos) {
        lastSeenNanos = nowNanos;
        suspect = false;
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public boolean isOpen() {
        return open;
    }

    boolean isSuspect() {
        return suspect;
    }

    void markSuspect() {
        suspect = true;
    }

    public void closed() {
        open = false;
    }

    public void close(String reason) {
        open = false;
        link.close(reason);
    }

    public String address() {
        return link.remoteAddress();
    }
}
