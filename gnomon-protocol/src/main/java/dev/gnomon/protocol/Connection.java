package dev.gnomon.protocol;

/** One open channel between a worker and a server. */
public interface Connection {

    /** Queues a message; returns false when the channel is already closed. */
    boolean send(Message message);

    /**
     * Queues messages in order, as few frames as the other side reads; returns false when the
     * channel closed before all were queued.
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

    boolean isOpen();

    /** Receives what the other side sends. Called from the transport's threads, one at a time. */
    interface Listener {
        void onMessage(Message message);

        void onClosed(String reason);
    }
}
