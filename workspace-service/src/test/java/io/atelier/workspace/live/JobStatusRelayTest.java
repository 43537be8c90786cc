package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Plain JUnit: how a job's {@code lastError} is bounded for a JOB_STATUS. */
class JobStatusRelayTest {

    @Test
    void aShortErrorOrNoneIsKeptAsItIs() {
        assertThat(JobStatusRelay.bounded(null, 10)).isNull();
        assertThat(JobStatusRelay.bounded("", 10)).isEmpty();
        assertThat(JobStatusRelay.bounded("0123456789", 10)).isEqualTo("0123456789");
    }

    @Test
    void aLongErrorIsCutToTheLimitAndMarked() {
        assertThat(JobStatusRelay.bounded("0123456789A", 10)).isEqualTo("012345678…").hasSize(10);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one character, two chars
        String cut = JobStatusRelay.bounded("01234567" + emoji + "tail", 10);
        assertThat(cut).isEqualTo("01234567…");
        assertThat(cut.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }
}
