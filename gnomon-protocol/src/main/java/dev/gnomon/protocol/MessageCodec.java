package dev.gnomon.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;

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

    /** Frames of at most this many characters hold several messages (a single larger message still goes alone). */
    public static final int BUNDLE_CHARS = 1 << 20;

    /**
     * The frames that carry {@code messages} in order: one frame per message when {@code bundles}
     * is false (the peer reads one message per frame), otherwise as few {@link Bundle} frames as
     * keep each under {@value #BUNDLE_CHARS} characters; a message alone in its frame is sent as
     * itself.
     */
    public static List<String> frames(List<? extends Message> messages, boolean bundles) {
        List<String> frames = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int chars = 0;
        for (Message m : messages) {
            String text = encode(m);
            if (!bundles) {
                frames.add(text);
                continue;
            }
            if (!pending.isEmpty() && chars + text.length() + 1 > BUNDLE_CHARS) {
                frames.add(bundle(pending));
                pending.clear();
                chars = 0;
            }
            pending.add(text);
            chars += text.length() + 1;
        }
        if (!pending.isEmpty()) {
            frames.add(bundle(pending));
        }
        return frames;
    }

    private static String bundle(List<String> encoded) {
        if (encoded.size() == 1) {
            return encoded.get(0);
        }
        int length = 40;
        for (String e : encoded) {
            length += e.length() + 1;
        }
        StringBuilder out = new StringBuilder(length).append("{\"type\":\"Bundle\",\"messages\":[");
        for (int i = 0; i < encoded.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(encoded.get(i));
        }
        return out.append("]}").toString();
    }

    /** The messages a received message stands for: a bundle's, in order, or the message itself. */
    public static List<Message> unbundle(Message message) {
        return message instanceof Bundle b ? b.messages() : List.of(message);
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
