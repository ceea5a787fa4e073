package dev.gnomon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JitTimeTest {

    @Test
    void compilerSecondsAreTicksOverTheTimerFrequency() throws IOException {
        String counters = "4242:\nsun.ci.lastMethod=\"java/lang/String hashCode\"\njava.ci.totalTime=2500000000\n"
            + "sun.os.hrt.frequency=1000000000\n";
        assertThat(JitTime.parse(counters, 4242)).isEqualTo(2.5);
    }

    @Test
    void countersWithoutTheCompilerTimeAreAnError() {
        assertThatThrownBy(() -> JitTime.parse("4242:\nsun.os.hrt.frequency=1000000000\n", 4242))
            .isInstanceOf(IOException.class).hasMessageContaining("java.ci.totalTime").hasMessageContaining("4242");
    }

    @Test
    void aRunningJvmHasSpentSomeTimeCompiling() throws Exception {
        assertThat(JitTime.seconds(ProcessHandle.current().pid())).isPositive();
    }
}
