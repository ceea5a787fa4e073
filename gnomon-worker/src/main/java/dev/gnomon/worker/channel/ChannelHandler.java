package dev.gnomon.worker.channel;

import dev.gnomon.protocol.Connection;
import dev.gnomon.protocol.HelloAccepted;
import dev.gnomon.protocol.Message;
import dev.gnomon.protocol.WorkerHello;

/** What the worker does with its channel; the {@link ChannelClient} only keeps it open. */
public interface ChannelHandler {

    /** The first message on each new channel. */
    WorkerHello hello();

    /** A server took the worker in on {@code connection}; called before the channel counts as live. */
    void onAccepted(Connection connection, HelloAccepted accepted);

    /** A message after the hello exchange (dispatches, stops, acks). */
    void onMessage(Message message);

    /** The live channel closed. */
    void onDisconnected();
}
