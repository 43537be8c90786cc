import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop GET load at a fixed rate (what wrk2 does; Debian has no wrk2). Request i is due at
 * start + i / rate whatever happened to the requests before it; its latency is counted from that
 * scheduled time, not from when it actually left, so a stall shows up in every request it delayed
 * (no coordinated omission). A fixed set of keep-alive HTTP/1.1 connections takes due requests from
 * one shared counter; a request whose turn comes while every connection is busy waits, and that wait
 * is part of its latency. The first WARMUP seconds are sent the same way and discarded.
 *
 * <p>Usage: java FixedRate.java URL RATE_PER_S SECONDS CONNECTIONS WARMUP_SECONDS
 * (env BENCH_TOKEN: sent as "Authorization: Bearer ..."). Prints one summary line of key=value pairs
 * (times in ms) and a human-readable block.
 */
public class FixedRate {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        int warmupSeconds = Integer.parseInt(args[4]);
        String token = System.getenv("BENCH_TOKEN");
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        int warmup = rate * warmupSeconds;
        int total = warmup + rate * seconds;
        long interval = 1_000_000_000L / rate;
        long[] latency = new long[total];   // from scheduled time to the last byte of the answer
        long[] sendLag = new long[total];   // from scheduled time to the request's first byte leaving
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicLong next = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger reconnects = new AtomicInteger();
        long start = System.nanoTime() + 200_000_000L; // every connection is open before the first is due

        Thread[] workers = new Thread[connections];
        for (int w = 0; w < connections; w++) {
            workers[w] = Thread.ofPlatform().name("fixed-rate-" + w).start(() -> {
                Connection connection = null;
                while (true) {
                    long i = next.getAndIncrement();
                    if (i >= total) {
                        break;
                    }
                    long scheduled = start + i * interval;
                    long wait;
                    while ((wait = scheduled - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int status;
                    long sent = 0;
                    try {
                        if (connection == null) {
                            connection = new Connection(url.getHost(), url.getPort());
                        }
                        sent = System.nanoTime();
                        status = connection.exchange(request, bytes);
                        if (connection.closeAfter) {
                            connection.close();
                            connection = null;
                            reconnects.incrementAndGet();
                        }
                    } catch (IOException e) {
                        status = -1;
                        if (connection != null) {
                            connection.close();
                        }
                        connection = null;
                        reconnects.incrementAndGet();
                    }
                    long done = System.nanoTime();
                    latency[(int) i] = done - scheduled;
                    sendLag[(int) i] = (sent == 0 ? done : sent) - scheduled;
                    if (i >= warmup) {
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
                if (connection != null) {
                    connection.close();
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long measuredEnd = start + (long) total * interval;
        long[] measured = Arrays.copyOfRange(latency, warmup, total);
        long[] lag = Arrays.copyOfRange(sendLag, warmup, total);
        Arrays.sort(measured);
        Arrays.sort(lag);
        int n = measured.length;
        System.out.printf("fixed_rate url=%s rate=%d seconds=%d connections=%d requests=%d statuses=%s"
                + " p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f send_lag_p99=%.2f send_lag_max=%.2f"
                + " bytes_per_answer=%d reconnects=%d%n",
                url, rate, seconds, connections, n, new TreeMap<>(statuses).toString().replace(" ", ""),
                ms(pct(measured, 50)), ms(pct(measured, 90)), ms(pct(measured, 99)), ms(pct(measured, 99.9)),
                ms(measured[n - 1]), ms(pct(lag, 99)), ms(lag[n - 1]), bytes.get() / total, reconnects.get());
        System.out.printf("  %d requests at %d/s over %d s after %d s of warm-up, %d connections%n", n, rate, seconds,
                warmupSeconds, connections);
        System.out.printf("  statuses %s; latency from scheduled time: p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f%n",
                new TreeMap<>(statuses), ms(pct(measured, 50)), ms(pct(measured, 90)), ms(pct(measured, 99)),
                ms(pct(measured, 99.9)), ms(measured[n - 1]));
        System.out.printf("  requests left late (client side) by: p99 %.2f ms, max %.2f ms; finished %.1f s after the last was due%n",
                ms(pct(lag, 99)), ms(lag[n - 1]), (System.nanoTime() - measuredEnd) / 1e9);
        // The worst seconds: whether the tail comes from a few stalls or from everywhere.
        StringBuilder worst = new StringBuilder();
        long[][] perSecond = new long[seconds][];
        for (int s = 0; s < seconds; s++) {
            perSecond[s] = Arrays.copyOfRange(latency, warmup + s * rate, warmup + (s + 1) * rate);
            Arrays.sort(perSecond[s]);
        }
        Integer[] order = new Integer[seconds];
        for (int s = 0; s < seconds; s++) {
            order[s] = s;
        }
        Arrays.sort(order, (a, b) -> Long.compare(perSecond[b][rate - 1], perSecond[a][rate - 1]));
        for (int k = 0; k < Math.min(5, seconds); k++) {
            int s = order[k];
            worst.append(String.format(" s%d: max %.1f, p99 %.1f;", s + 1, ms(perSecond[s][rate - 1]), ms(pct(perSecond[s], 99))));
        }
        int over = 0;
        for (long[] second : perSecond) {
            if (pct(second, 99) > 20_000_000L) {
                over++;
            }
        }
        System.out.printf("  worst seconds (ms):%s %d of %d seconds had a p99 over 20 ms%n", worst, over, seconds);
    }

    static long pct(long[] sorted, double p) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads one answer (Content-Length or chunked). */
    static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean closeAfter;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }

        int exchange(byte[] request, AtomicLong bytes) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            closeAfter = false;
            String header;
            while (!(header = line()).isEmpty()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase();
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase().contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            long body = 0;
            if (chunked) {
                while (true) {
                    String size = line();
                    int semi = size.indexOf(';');
                    long chunk = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (chunk == 0) {
                        while (!line().isEmpty()) { } // trailers
                        break;
                    }
                    skip(chunk);
                    body += chunk;
                    line();
                }
            } else if (length >= 0) {
                skip(length);
                body = length;
            } else {
                throw new IOException("answer without length");
            }
            bytes.addAndGet(body);
            return status;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-answer");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
    }
}
