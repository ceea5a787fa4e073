package dev.gnomon.server.dispatch;

/** Told when an instance has ended, after the change is committed. */
@FunctionalInterface
public interface CompletionListener {

    void instanceEnded(long appId, long jobId, long instanceId, long finishedAt);
}
