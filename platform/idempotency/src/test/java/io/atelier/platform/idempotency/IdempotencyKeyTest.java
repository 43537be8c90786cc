package io.atelier.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.atelier.platform.web.InvalidParameter;

class IdempotencyKeyTest {

    @Test
    void keepsAWellFormedKeyAsSent() {
        assertThat(IdempotencyKey.of("8e03978e-40d5-43e8-bc93-6894a57f9324")).isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKey.of("order:42/retry#1")).isEqualTo("order:42/retry#1");
        assertThat(IdempotencyKey.of("k".repeat(255))).hasSize(255);
        assertThat(IdempotencyKey.of(null)).isNull();
        assertThat(IdempotencyKey.of("")).isNull();
    }

    @Test
    void refusesEmptyLongOrInvisibleKeys() {
        for (String bad : new String[] { " ", "a b", "k".repeat(256), "\u0000", "é" }) {
            assertThatThrownBy(() -> IdempotencyKey.of(bad)).isInstanceOf(InvalidParameter.class);
        }
    }
}
