package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Message;

/** The server's end of one worker channel, whatever its transport. */
public interface WorkerLink {

    /** Sends a message; false when the channel is closed. */
    boolean send(Message message);

    /**
     * Sends messages in order, as few frames as the transport and the worker allow; false when
     * the channel closed before all were sent.
     */
    default boolean sendAll(java.util.List<? extends Message> messages) {
        for (Message m : messages) {
            if (!send(m)) {
                return false;
            }
        }
        return true;
    }

    void close(String reason);

    /** The remote address, for people reading the worker list. */
    String remoteAddress();
}
