import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Raw Argon2id rate with auth-service's parameters (19 MiB, t=2, p=1, 32-byte output) and library
 * (Bouncy Castle), on as many threads as cores, nothing else in the JVM: the ceiling for POST /login
 * on this machine. With "pool" each thread reuses its own blocks, as each of the service's hashing
 * slots does; with "fresh" every hash allocates new ones. Run by bench/auth/run.sh.
 * Usage: java -cp bcprov.jar HashRate.java <seconds> [pool|fresh]
 */
public class HashRate {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean pooled = args.length < 2 || args[1].equals("pool");
        int threads = Runtime.getRuntime().availableProcessors();
        var pools = ThreadLocal.withInitial(() -> new Argon2BytesGenerator.FixedBlockPool(19 * 1024));
        byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[16]; // its value does not change the cost
        Runnable hash = () -> {
            var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(19 * 1024).withIterations(2)
                    .withParallelism(1).withSalt(salt);
            if (pooled) {
                parameters.withBlockPool(pools.get());
            }
            var generator = new Argon2BytesGenerator();
            generator.init(parameters.build());
            generator.generateBytes(password, new byte[32]);
        };
        for (int i = 0; i < 20; i++) {
            hash.run(); // warm-up
        }
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    hash.run();
                    done.increment();
                }
                finished.countDown();
            });
        }
        finished.await();
        System.out.printf("argon2id_per_second=%.1f threads=%d seconds=%d blocks=%s%n", done.sum() / (double) seconds,
                threads, seconds, pooled ? "pool" : "fresh");
    }
}
