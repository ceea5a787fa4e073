package dev.gnomon.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Turns messages into JSON text and back, for the http transport's WebSocket channel. */
public final class MessageCodec {

    private MessageCodec() {
    }

    public static String encode(Message message) {
        try {
            return Json.mapper().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** @throws ProtocolException when the text is not a known message */
    public static Message decode(String text) {
        try {
            return Json.mapper().readValue(text, Message.class);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not a Gnomon message: " + e.getOriginalMessage(), e);
        }
    }
}
