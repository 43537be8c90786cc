import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Raw Argon2id verification rate with auth-service's parameters (19 MiB, t=2, p=1), on as many
 * threads as cores: the ceiling for POST /login on this machine. Run by bench/auth/run.sh.
 * Usage: java -cp password4j.jar:slf4j-api.jar HashRate.java <seconds>
 */
public class HashRate {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = Runtime.getRuntime().availableProcessors();
        var argon2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
        String hash = Password.hash("correct horse battery staple").addRandomSalt(16).with(argon2).getResult();
        for (int i = 0; i < 20; i++) {
            Password.check("correct horse battery staple", hash).with(argon2); // warm-up
        }
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    if (!Password.check("correct horse battery staple", hash).with(argon2)) {
                        throw new IllegalStateException("verification failed");
                    }
                    done.increment();
                }
                finished.countDown();
            });
        }
        finished.await();
        System.out.printf("argon2id_verify_per_second=%.1f threads=%d seconds=%d%n", done.sum() / (double) seconds, threads, seconds);
    }
}
