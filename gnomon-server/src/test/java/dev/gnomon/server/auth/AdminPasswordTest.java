package dev.gnomon.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminPasswordTest {

    @Test
    void aHashMadeAheadVerifiesTheConfiguredPassword() {
        AdminPassword admin = AdminPassword.of(Optional.of("correct horse")).hashAhead();
        assertThat(admin.hashedAhead()).isTrue();
        assertThat(admin.generated()).isFalse();
        String hash = admin.hash();
        assertThat(PasswordHasher.verify("correct horse", hash)).isTrue();
        assertThat(PasswordHasher.verify("wrong horse", hash)).isFalse();
        assertThat(admin.hash()).as("the run made ahead, not a second one with another salt").isEqualTo(hash);
    }

    @Test
    void withoutAPasswordConfiguredOneIsMadeAndHashedWhenAskedFor() {
        AdminPassword admin = AdminPassword.of(Optional.empty());
        assertThat(admin.generated()).isTrue();
        assertThat(admin.hashedAhead()).isFalse();
        assertThat(admin.password()).hasSize(20);
        assertThat(PasswordHasher.verify(admin.password(), admin.hash())).isTrue();
    }
}
