package io.atelier.auth.password;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.HashingFunction;
import com.password4j.Password;
import com.password4j.types.Argon2;

import io.atelier.auth.config.AuthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Argon2id with the OWASP minimum (19 MiB, 2 iterations, 1 lane) through password4j. Hashes are
 * PHC strings, so their parameters travel with them and an older hash is recognised and upgraded
 * at the next successful login.
 */
@ApplicationScoped
public class PasswordHasher {

    static final HashingFunction CURRENT = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

    /** Verified against when an email is unknown, so that answer costs one hash too (no timing oracle). */
    private final String decoy;
    private final Timer timer;
    private final Semaphore slots;

    PasswordHasher(MeterRegistry metrics, AuthConfig config) {
        this.slots = new Semaphore(config.passwords().maxConcurrentHashes()
                .orElse(Runtime.getRuntime().availableProcessors()), true);
        this.decoy = hash("decoy password that never matches");
        this.timer = Timer.builder("atelier.auth.password.hash").description("Argon2id hash or verify").register(metrics);
    }

    public String hash(String password) {
        return bounded(() -> hashHoldingSlot(password));
    }

    /** A null {@code storedHash} (unknown account, or one without a password) costs one decoy verification and fails. */
    public Verification verify(String password, String storedHash) {
        return bounded(() -> timer.record(() -> check(password, storedHash)));
    }

    private Verification check(String password, String storedHash) {
        if (storedHash == null) {
            Password.check(password, decoy).with(CURRENT);
            return Verification.FAILED;
        }
        HashingFunction stored = functionOf(storedHash);
        if (!Password.check(password, storedHash).with(stored)) {
            return Verification.FAILED;
        }
        // Rehash only when the stored parameters are not today's (older Argon2 settings or bcrypt).
        return stored.equals(CURRENT) ? Verification.OK : new Verification(true, hashHoldingSlot(password));
    }

    /** Only with a slot held (a rehash happens inside a verification's slot). */
    private static String hashHoldingSlot(String password) {
        return Password.hash(password).addRandomSalt(16).with(CURRENT).getResult();
    }

    private <T> T bounded(Supplier<T> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private static HashingFunction functionOf(String storedHash) {
        return storedHash.startsWith("$2") ? BcryptFunction.getInstanceFromHash(storedHash)
                : Argon2Function.getInstanceFromHash(storedHash);
    }

    /** {@code upgradedHash} is set when the stored hash used older parameters and should be replaced. */
    public record Verification(boolean verified, String upgradedHash) {
        static final Verification OK = new Verification(true, null);
        static final Verification FAILED = new Verification(false, null);

        public boolean needsUpgrade() {
            return upgradedHash != null;
        }
    }
}
