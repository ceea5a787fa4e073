package dev.gnomon.protocol;

import java.util.List;

/**
 * Several messages in one frame, handled in order exactly as if each had come alone. A side sends
 * bundles only to a peer that said it reads them ({@link WorkerHello#bundles()},
 * {@link HelloAccepted#bundles()}), so workers and servers of earlier versions keep working with
 * one message per frame. A bundle never holds another bundle or a hello.
 *
 * @param messages the messages, in the order they were sent
 */
public record Bundle(List<Message> messages) implements Message {

    public Bundle {
        messages = messages == null ? List.of() : List.copyOf(messages);
        for (Message m : messages) {
            if (m instanceof Bundle || m instanceof WorkerHello) {
                throw new IllegalArgumentException("a bundle cannot hold a " + m.getClass().getSimpleName());
            }
        }
    }
}
