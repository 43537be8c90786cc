package io.atelier.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextPolicyTest {

    @Test
    void acceptsOrdinaryTextAndWhitespace() {
        assertThat(TextPolicy.acceptable("Grüße, 世界 😀\tand\r\nlines")).isTrue();
        assertThat(TextPolicy.acceptable("")).isTrue();
    }

    @Test
    void refusesControlCharactersAndBrokenUnicode() {
        for (String bad : new String[] {"\u0000", "a\u0001", "\u001f", "\u007f", "\ud800", "x\udc00y", "\ud83d"}) {
            assertThat(TextPolicy.acceptable(bad)).as("%s", bad.codePoints().boxed().toList()).isFalse();
        }
    }

    @Test
    void singleLineAlsoRefusesBreaksAndTabs() {
        assertThat(TextPolicy.singleLine("Ada Lovelace")).isTrue();
        for (String bad : new String[] {"a\nb", "a\rb", "a\tb", "a\u2028b", "a\u0000b"}) {
            assertThat(TextPolicy.singleLine(bad)).isFalse();
        }
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        assertThat(AtelierHeaders.retryAfterSeconds(java.time.Duration.ZERO)).isEqualTo(1);
        assertThat(AtelierHeaders.retryAfterSeconds(java.time.Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(AtelierHeaders.retryAfterSeconds(java.time.Duration.ofSeconds(60))).isEqualTo(60);
    }

    @Test
    void problemTypesAreStableTagsWithStatusPhrases() {
        assertThat(ProblemType.of("email-taken", 409, "Email already registered").uri().toString())
                .isEqualTo("tag:atelier.dev,2026:problem:email-taken");
        assertThat(ProblemType.http(404).title()).isEqualTo("Not Found");
        assertThat(ProblemType.http(431).title()).isEqualTo("Request Header Fields Too Large");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProblemType.of("Bad Slug", 400, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
