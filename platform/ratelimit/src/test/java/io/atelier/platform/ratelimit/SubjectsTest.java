package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectsTest {

    @Test
    void hashedIsStableHexWithoutTheValue() {
        String hashed = Subjects.hashed("ada@example.com");
        assertThat(hashed).hasSize(32).matches("[0-9a-f]+").isEqualTo(Subjects.hashed("ada@example.com"));
        assertThat(hashed).isNotEqualTo(Subjects.hashed("bob@example.com")).doesNotContain("ada");
    }
}
