package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.Message;

/** The server's end of one worker channel, whatever its transport. */
public interface WorkerLink {

    /** Sends a message; false when the channel is closed. */
    boolean send(Message message);

    void close(String reason);

    /** The remote address, for people reading the worker list. */
    String remoteAddress();
}
