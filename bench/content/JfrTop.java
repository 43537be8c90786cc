import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples (jdk.ExecutionSample: threads running Java code) went: the top
 * frames by self time, and the share of samples with each area anywhere on the stack (inclusive, so the
 * areas overlap: a Hibernate query runs inside a JTA transaction, inside RESTEasy, ...).
 *
 * <p>Usage: java JfrTop.java RECORDING.jfr [TOP_N]. Prints markdown tables.
 */
public class JfrTop {

    /** Areas, by frame prefix (class name, optionally with method). First match names the area. */
    static final Map<String, String[]> AREAS = new LinkedHashMap<>();
    static {
        AREAS.put("token: JWE decrypt + JWS verify (jose4j, smallrye-jwt)", new String[] {"org.jose4j.", "io.smallrye.jwt."});
        AREAS.put("Quarkus security / identity", new String[] {"io.quarkus.security.", "io.quarkus.smallrye.jwt.",
                "io.quarkus.vertx.http.runtime.security.", "io.atelier.platform.security."});
        AREAS.put("Hibernate ORM (query, hydration)", new String[] {"org.hibernate."});
        AREAS.put("Panache", new String[] {"io.quarkus.hibernate.orm.panache."});
        AREAS.put("PostgreSQL JDBC driver", new String[] {"org.postgresql."});
        AREAS.put("Agroal pool", new String[] {"io.agroal."});
        AREAS.put("Narayana JTA (@Transactional)", new String[] {"com.arjuna.", "io.quarkus.narayana."});
        AREAS.put("SmallRye context propagation", new String[] {"io.smallrye.context."});
        AREAS.put("Mutiny", new String[] {"io.smallrye.mutiny."});
        AREAS.put("users replica lookup (Authors)", new String[] {"io.atelier.content.author.", "io.atelier.platform.users."});
        AREAS.put("Jackson (JSON write)", new String[] {"com.fasterxml.jackson."});
        AREAS.put("Quarkus REST (RESTEasy Reactive)", new String[] {"org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive."});
        AREAS.put("OpenTelemetry", new String[] {"io.opentelemetry."});
        AREAS.put("Micrometer", new String[] {"io.micrometer."});
        AREAS.put("logging", new String[] {"org.jboss.logmanager.", "org.jboss.logging."});
        AREAS.put("notification fan-out (content notify, platform/feeds)", new String[] {"io.atelier.content.notify.",
                "io.atelier.platform.feeds."});
        AREAS.put("WebSockets Next", new String[] {"io.quarkus.websockets.next."});
        AREAS.put("Kafka client", new String[] {"org.apache.kafka.", "io.smallrye.reactive.messaging."});
        AREAS.put("Redis client", new String[] {"io.vertx.redis.", "io.quarkus.redis.", "io.vertx.mutiny.redis."});
        AREAS.put("Netty / Vert.x (HTTP I/O)", new String[] {"io.netty.", "io.vertx."});
        AREAS.put("ArC (CDI)", new String[] {"io.quarkus.arc."});
        AREAS.put("GC / JIT / JDK internals", new String[] {"jdk.internal.", "java.lang.invoke."});
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> selfArea = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "-N").replaceAll("\\d+", "N"), 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            String firstArea = null;
            List<String> seen = new ArrayList<>();
            for (RecordedFrame frame : frames) {
                String area = area(name(frame));
                if (area != null) {
                    if (firstArea == null) {
                        firstArea = area;
                    }
                    if (!seen.contains(area)) {
                        seen.add(area);
                    }
                }
            }
            selfArea.merge(firstArea == null ? "other" : firstArea, 1, Integer::sum);
            for (String area : seen) {
                inclusive.merge(area, 1, Integer::sum);
            }
        }
        System.out.println("Execution samples: " + samples);
        System.out.println();
        System.out.println("| top frame (self) | samples | share |");
        System.out.println("| --- | --- | --- |");
        print(self, samples, top);
        System.out.println();
        System.out.println("| area (anywhere on the stack; areas overlap) | samples | share |");
        System.out.println("| --- | --- | --- |");
        print(inclusive, samples, 100);
        System.out.println();
        System.out.println("| area of the innermost recognised frame (adds up to 100 %) | samples | share |");
        System.out.println("| --- | --- | --- |");
        print(selfArea, samples, 100);
        System.out.println();
        System.out.println("| thread (numbers folded) | samples | share |");
        System.out.println("| --- | --- | --- |");
        print(threads, samples, 12);
    }

    static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    static String area(String frame) {
        for (Map.Entry<String, String[]> area : AREAS.entrySet()) {
            for (String prefix : area.getValue()) {
                if (frame.startsWith(prefix)) {
                    return area.getKey();
                }
            }
        }
        return null;
    }

    static void print(Map<String, Integer> counts, int total, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("| `%s` | %d | %.1f %% |%n", e.getKey().replace("|", "\\|"), e.getValue(),
                        100.0 * e.getValue() / total));
    }
}
