package dev.gnomon.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.server.cluster.CommandRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunKeysTest {

    @Test
    void aKeyIsOneToSixtyFourCharactersOfASafeSet() {
        assertThat(RunKeys.valid(UUID.randomUUID().toString())).isTrue();
        assertThat(RunKeys.valid("order:4711_b.2")).isTrue();
        assertThat(RunKeys.valid("k".repeat(RunKeys.MAX_LENGTH))).isTrue();
        assertThat(RunKeys.valid("k".repeat(RunKeys.MAX_LENGTH + 1))).isFalse();
        assertThat(RunKeys.valid("")).isFalse();
        assertThat(RunKeys.valid(null)).isFalse();
        assertThat(RunKeys.valid("b#0")).isFalse();
        assertThat(RunKeys.valid("with space")).isFalse();
        assertThat(RunKeys.valid("é")).isFalse();
    }

    @Test
    void aForwardedRunGetsAKeyOfItsOwnOnceAndKeepsTheCallersKey() {
        CommandRequest run = new CommandRequest(CommandRequest.Kind.RUN, 1, 2L, null, "p");
        CommandRequest forwarded = run.forwarded();
        assertThat(forwarded.requestKey()).startsWith("fwd:");
        assertThat(RunKeys.valid(forwarded.requestKey())).isTrue();
        assertThat(forwarded.forwarded()).isSameAs(forwarded);
        assertThat(forwarded.params()).isEqualTo("p");

        CommandRequest keyed = new CommandRequest(CommandRequest.Kind.RUN_BATCH, 1, 2L, null, null, List.of("a"), "mine");
        assertThat(keyed.forwarded().requestKey()).isEqualTo("mine");
        CommandRequest stop = new CommandRequest(CommandRequest.Kind.STOP, 1, null, 9L, null);
        assertThat(stop.forwarded()).isSameAs(stop);
    }
}
