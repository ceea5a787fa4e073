package dev.gnomon.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void aHashVerifiesOnlyItsOwnPassword() {
        String hash = PasswordHasher.hash("correct horse");
        assertThat(hash).startsWith("pbkdf2-sha256$").doesNotContain("correct horse");
        assertThat(PasswordHasher.verify("correct horse", hash)).isTrue();
        assertThat(PasswordHasher.verify("correct hors", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHasher.hash("same")).isNotEqualTo(PasswordHasher.hash("same"));
    }

    @Test
    void tokensAreRandomAndHashedWithSha256() {
        String a = Secrets.token("gnt_");
        assertThat(a).startsWith("gnt_").hasSizeGreaterThan(40).isNotEqualTo(Secrets.token("gnt_"));
        assertThat(Secrets.sha256(a)).hasSize(64).isNotEqualTo(a);
        assertThat(Secrets.password(20)).hasSize(20).matches("[A-Za-z2-9]+");
    }
}
