package dev.gnomon.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

    @Test
    void defaultsToTheLocalServer() {
        assertThat(GnomonClient.builder().build().baseUrl()).isEqualTo("http://127.0.0.1:7700");
    }

    @Test
    void keepsAPathPrefixWithoutTheTrailingSlash() {
        assertThat(GnomonClient.builder().baseUrl("https://ops.example.com/gnomon/").build().baseUrl())
            .isEqualTo("https://ops.example.com/gnomon");
    }

    @Test
    void rejectsAUrlWithoutSchemeOrHost() {
        assertThatThrownBy(() -> GnomonClient.builder().baseUrl("127.0.0.1:7700"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must be an http:// or https:// URL");
    }

    @Test
    void rejectsBothTokenAndUser() {
        GnomonClient.Builder builder = GnomonClient.builder().token("t").basicAuth("admin", "pw");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    }

    @Test
    void rejectsABlankTokenAndANonPositiveTimeout() {
        assertThatThrownBy(() -> GnomonClient.builder().token(" ")).hasMessageContaining("token");
        assertThatThrownBy(() -> GnomonClient.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout must be positive");
    }
}
