package io.atelier.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.ReferenceHashes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Plain JUnit: the hasher is a pure class (no Quarkus, no servers). */
class PasswordHasherTest {

    final PasswordHasher hasher = new PasswordHasher(2, Duration.ofSeconds(5), new SimpleMeterRegistry());

    @Test
    void hashesArePhcStringsWithTodaysParametersAndAFreshSalt() {
        String first = hasher.hash(Api.PASSWORD);
        String second = hasher.hash(Api.PASSWORD);

        assertThat(first).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(second).isNotEqualTo(first);
        assertThat(hasher.verify(Api.PASSWORD, first)).isEqualTo(PasswordHasher.Verification.OK);
        assertThat(hasher.verify(Api.PASSWORD, second)).isEqualTo(PasswordHasher.Verification.OK);
    }

    @Test
    void verifiesAHashMadeByTheReferenceImplementation() {
        assertThat(hasher.verify(Api.PASSWORD, ReferenceHashes.ARGON2ID_CURRENT)).isEqualTo(PasswordHasher.Verification.OK);
        assertThat(hasher.verify(Api.PASSWORD + " ", ReferenceHashes.ARGON2ID_CURRENT).verified()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { ReferenceHashes.ARGON2ID_WEAK, ReferenceHashes.BCRYPT })
    void olderHashesVerifyAndComeBackWithAnUpgrade(String older) {
        PasswordHasher.Verification check = hasher.verify(Api.PASSWORD, older);

        assertThat(check.verified()).isTrue();
        assertThat(check.needsUpgrade()).isTrue();
        assertThat(check.upgradedHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify(Api.PASSWORD, check.upgradedHash())).isEqualTo(PasswordHasher.Verification.OK);
    }

    @ParameterizedTest
    @ValueSource(strings = { ReferenceHashes.ARGON2ID_WEAK, ReferenceHashes.BCRYPT })
    void olderHashesRefuseTheWrongPasswordWithoutAnUpgrade(String older) {
        assertThat(hasher.verify("not the password", older)).isEqualTo(PasswordHasher.Verification.FAILED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "plaintext", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
            "$argon2i$v=19$m=19456,t=2,p=1$YXRlbGllci1zYWx0LTE2Yg$CGFYnqgqAS/dPJhZ4o4QEBKy3K7MPxvgIOoUoFkz+nQ",
            "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!!!!!!!$CGFYnqgqAS/dPJhZ4o4QEBKy3K7MPxvgIOoUoFkz+nQ",
            "$2b$10$tooShort", "$2b$99$9yAjdC9wcwEc5nHHtfWvI.Hhy5EUAYuLiI5HfEPnVcTNNIxke7guG" })
    void aMalformedStoredHashFailsTheSignInInsteadOfThrowing(String stored) {
        assertThat(hasher.verify(Api.PASSWORD, stored)).isEqualTo(PasswordHasher.Verification.FAILED);
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefusedNotTruncated() {
        assertThat(hasher.verify(Api.PASSWORD + "x".repeat(80), ReferenceHashes.BCRYPT).verified()).isFalse();
    }

    @Test
    void anUnknownAccountSpendsAHashAndFails() {
        assertThat(hasher.verify(Api.PASSWORD, null)).isEqualTo(PasswordHasher.Verification.FAILED);
    }

    @Test
    void passwordsAreHashedAsUtf8() {
        String unicode = "pässwörd ✓ 密码";
        assertThat(hasher.verify(unicode, hasher.hash(unicode)).verified()).isTrue();
        assertThat(hasher.verify("passwoerd ✓ 密码", hasher.hash(unicode)).verified()).isFalse();
    }

    @Test
    void whenEverySlotIsBusyAVerificationWaitsBoundedlyThenIsRefusedWith503() throws Exception {
        PasswordHasher oneSlot = new PasswordHasher(1, Duration.ofMillis(100), new SimpleMeterRegistry());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> oneSlot.inSlot(blocks -> {
            holding.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> oneSlot.verify(Api.PASSWORD, ReferenceHashes.ARGON2ID_CURRENT))
                .isInstanceOf(io.atelier.platform.web.ServiceBusy.class)
                .satisfies(e -> assertThat(((io.atelier.platform.web.ServiceBusy) e).headers()).containsEntry("Retry-After", "1"));

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(oneSlot.verify(Api.PASSWORD, ReferenceHashes.ARGON2ID_CURRENT).verified()).isTrue();
    }
}
