package io.atelier.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator.BlockPool;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import io.atelier.auth.config.AuthConfig;
import io.atelier.platform.web.ServiceBusy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

/**
 * Argon2id with the OWASP minimum (19 MiB, 2 iterations, 1 lane) through Bouncy Castle. Hashes are
 * PHC strings, so an older hash (other Argon2 parameters, or bcrypt from an imported account) is
 * recognised and upgraded at the next successful login.
 *
 * <p>Hashes run in a fixed number of slots (default: one per core); further requests wait for one,
 * at most {@code atelier.auth.passwords.max-wait}, then get a 503 with Retry-After.
 * Each slot owns the 19 MiB of 1 KiB blocks one hash needs and reuses them, so a login allocates
 * almost nothing: otherwise every hash is 20 MiB of garbage that lives as long as the hash
 * (password4j, used before, made 100 MiB), and under login load the garbage collector, not Argon2,
 * set the pace. One pool per slot rather than one shared pool keeps each hash's blocks in order
 * in memory and uncontended (docs/operations.md has the measurements).
 */
@ApplicationScoped
public class PasswordHasher {

    static final Argon2Hash CURRENT = new Argon2Hash(Argon2Parameters.ARGON2_VERSION_13, 19 * 1024, 2, 1,
            new byte[16], new byte[32]);

    private final SecureRandom random = new SecureRandom();
    private final BlockingQueue<BlockPool> slots;
    private final long maxWaitNanos;
    private final io.micrometer.core.instrument.Counter saturated;
    private final Timer timer;
    /** Verified against when an email is unknown, so that answer costs one hash too (no timing oracle). */
    private final Argon2Hash decoy;

    @Inject
    PasswordHasher(MeterRegistry metrics, AuthConfig config) {
        this(config.passwords().maxConcurrentHashes().orElse(Runtime.getRuntime().availableProcessors()),
                config.passwords().maxWait(), metrics);
    }

    PasswordHasher(int concurrent, Duration maxWait, MeterRegistry metrics) {
        this.slots = new ArrayBlockingQueue<>(concurrent, true);
        for (int i = 0; i < concurrent; i++) {
            slots.add(new Argon2BytesGenerator.FixedBlockPool(CURRENT.memoryKiB()));
        }
        this.maxWaitNanos = maxWait.toNanos();
        this.saturated = metrics.counter("atelier.auth.password.saturated");
        this.timer = Timer.builder("atelier.auth.password.hash").description("Argon2id hash or verify").register(metrics);
        this.decoy = Argon2Hash.parse(hash("decoy password that never matches")).orElseThrow();
    }

    public String hash(String password) {
        return inSlot(blocks -> hashWith(blocks, password));
    }

    /** A null {@code storedHash} (unknown account, or one without a password) costs one decoy verification and fails. */
    public Verification verify(String password, String storedHash) {
        return inSlot(blocks -> timer.record(() -> check(blocks, password, storedHash)));
    }

    private Verification check(BlockPool blocks, String password, String storedHash) {
        if (storedHash == null) {
            matches(blocks, password, decoy);
            return Verification.FAILED;
        }
        Optional<Argon2Hash> argon2 = Argon2Hash.parse(storedHash);
        boolean verified = argon2.isPresent() ? matches(blocks, password, argon2.get())
                : matchesOtherFormat(blocks, password, storedHash);
        if (!verified) {
            return Verification.FAILED;
        }
        // Rehash only when the stored parameters are not today's (older Argon2 settings or bcrypt).
        boolean current = argon2.filter(CURRENT::sameParametersAs).isPresent();
        return current ? Verification.OK : new Verification(true, hashWith(blocks, password));
    }

    private static boolean matches(BlockPool blocks, String password, Argon2Hash stored) {
        return MessageDigest.isEqual(stored.hash(), derive(blocks, password, stored));
    }

    /** bcrypt from an imported account; anything unreadable fails, after the cost of any other failure. */
    private boolean matchesOtherFormat(BlockPool blocks, String password, String storedHash) {
        if (storedHash.startsWith("$2")) {
            try {
                return OpenBSDBCrypt.checkPassword(storedHash, password.toCharArray());
            } catch (IllegalArgumentException | DataLengthException e) {
                Log.warn("a stored bcrypt hash is malformed; the sign-in fails");
            }
        } else {
            Log.warn("a stored password hash is in no known format; the sign-in fails");
        }
        matches(blocks, password, decoy);
        return false;
    }

    /** With the blocks of the slot held (a rehash happens inside a verification's slot). */
    private String hashWith(BlockPool blocks, String password) {
        byte[] salt = new byte[CURRENT.salt().length];
        random.nextBytes(salt);
        Argon2Hash salted = CURRENT.with(salt, CURRENT.hash());
        return salted.with(salt, derive(blocks, password, salted)).encode();
    }

    /** Argon2id of {@code password} with the parameters, salt and output length of {@code like}. */
    private static byte[] derive(BlockPool blocks, String password, Argon2Hash like) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(like.version())
                .withMemoryAsKB(like.memoryKiB())
                .withIterations(like.iterations())
                .withParallelism(like.parallelism())
                .withSalt(like.salt())
                .withBlockPool(blocks)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[like.hash().length];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
            parameters.clear();
        }
        return out;
    }

    <T> T inSlot(Function<BlockPool, T> work) {
        BlockPool blocks;
        try {
            blocks = slots.poll(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        if (blocks == null) {
            saturated.increment();
            throw new ServiceBusy("Too many sign-ins at once; try again in a moment.", Duration.ofSeconds(1));
        }
        try {
            return work.apply(blocks);
        } finally {
            slots.add(blocks);
        }
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
