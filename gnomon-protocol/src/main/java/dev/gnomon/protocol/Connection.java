package dev.gnomon.protocol;

/** One open channel between a worker and a server. */
public interface Connection {

    /** Queues a message; returns false when the channel is already closed. */
    boolean send(Message message);

    void close(String reason);

    boolean isOpen();

    /** Receives what the other side sends. Called from the transport's threads, one at a time. */
    interface Listener {
        void onMessage(Message message);

        void onClosed(String reason);
    }
}
