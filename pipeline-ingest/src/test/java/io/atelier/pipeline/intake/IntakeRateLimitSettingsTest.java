package io.atelier.pipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Rate limits from config are checked when the intake is built (at start), with a message naming the settings. */
class IntakeRateLimitSettingsTest {

    @Test
    void aLimitWithinTheLimitersRangeIsBuilt() {
        var limit = IntakeService.limit("write-key", "events-write-key", 500_000, Duration.ofSeconds(1), 500_000);
        assertThat(limit.burst()).isEqualTo(500_000);
        assertThat(limit.emissionInterval()).isEqualTo(Duration.ofNanos(2_000));
    }

    @Test
    void moreThanOnePermitPerMicrosecondFailsNamingTheSetting() {
        assertThatThrownBy(() -> IntakeService.limit("write-key", "events-write-key", 2_000_000, Duration.ofSeconds(1), 2_000_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atelier.pipeline.rate-limits.write-key.")
                .hasMessageContaining("2000000 per PT1S")
                .hasMessageContaining("finer than one per microsecond");
    }

    @Test
    void aBurstSpanningMoreThanAYearFailsNamingTheSetting() {
        assertThatThrownBy(() -> IntakeService.limit("user", "events-user", 1, Duration.ofDays(1), 1_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atelier.pipeline.rate-limits.user.")
                .hasMessageContaining("spans more than");
    }

    @Test
    void theIntakeIsBuiltAtStartSoABadLimitStopsTheStart() {
        assertThat(IntakeService.class.isAnnotationPresent(io.quarkus.runtime.Startup.class)).isTrue();
    }
}
