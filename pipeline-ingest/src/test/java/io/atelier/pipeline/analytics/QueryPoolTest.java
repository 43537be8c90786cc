package io.atelier.pipeline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pool binds parameters, cancels a query over its budget, and stays usable afterwards. */
class QueryPoolTest {

    @Test
    void bindsParametersAndCancelsSlowQueries() throws Exception {
        try (QueryPool pool = new QueryPool(1, 2, "256MB", Duration.ofSeconds(1))) {
            long sum = pool.query("SELECT sum(i) FROM range(CAST(? AS BIGINT)) t(i)", List.of(5L), Duration.ofSeconds(5),
                    r -> {
                        r.next();
                        return r.getLong(1);
                    });
            assertThat(sum).isEqualTo(10);
            String quoted = pool.query("SELECT ?", List.of("x'); DROP TABLE t; --"), Duration.ofSeconds(5), r -> {
                r.next();
                return r.getString(1);
            });
            assertThat(quoted).isEqualTo("x'); DROP TABLE t; --");

            long started = System.nanoTime();
            assertThatThrownBy(() -> pool.query("SELECT count(*) FROM range(10000000000) a, range(1000) b", List.of(),
                    Duration.ofMillis(300), r -> r.next())).isInstanceOf(QueryPool.TooSlow.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            // The connection went back to the pool and works.
            int one = pool.query("SELECT 1", List.of(), Duration.ofSeconds(5), r -> {
                r.next();
                return r.getInt(1);
            });
            assertThat(one).isEqualTo(1);
        }
    }
}
