package io.atelier.e2e;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP clients that reach the gateway from their own loopback address (Linux answers on all of
 * 127.0.0.0/8). The gateway sees each as a different client, so per-address limits of one test
 * never touch another's; it is also how a test shows that only the real address counts.
 */
public final class LoopbackClients {

    private LoopbackClients() {
    }

    /** A client whose requests come from a random 127.x.y.z address. */
    public static HttpClient fromFreshAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            InetAddress source = InetAddress.getByAddress(new byte[] {127, (byte) random.nextInt(1, 255),
                    (byte) random.nextInt(0, 256), (byte) random.nextInt(1, 255)});
            return HttpClient.newBuilder().localAddress(source).connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1).build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
