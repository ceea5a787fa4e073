package dev.gnomon.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeListsEverySettingTest {

    @Test
    void everySettingIsDocumentedWithItsDefaultAndVariable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting<?> s : Settings.ALL) {
            String shownDefault = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            assertThat(readme).as(s.key())
                .contains("| `" + s.key() + "` | `" + s.envName() + "` | " + shownDefault + " |");
        }
    }
}
