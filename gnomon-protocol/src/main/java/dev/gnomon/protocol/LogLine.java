package dev.gnomon.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.time.Instant;

/**
 * One log line: its number within the attempt, when, how severe, and what it says. On the wire
 * {@code at} is epoch milliseconds: a number is much cheaper to write and read than an ISO-8601
 * text, and a busy worker sends hundreds of thousands of lines a second.
 */
public record LogLine(long seq,
                      @JsonSerialize(using = EpochMillis.Writer.class)
                      @JsonDeserialize(using = EpochMillis.Reader.class)
                      Instant at,
                      LogLevel level,
                      String text) {

    /** {@link Instant} as epoch milliseconds. */
    static final class EpochMillis {

        private EpochMillis() {
        }

        static final class Writer extends JsonSerializer<Instant> {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeNumber(value.toEpochMilli());
            }
        }

        static final class Reader extends JsonDeserializer<Instant> {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return Instant.ofEpochMilli(p.getValueAsLong());
            }
        }
    }
}
