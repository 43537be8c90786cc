package io.atelier.pipeline.enrich;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code atelier.pipeline.enrich.events{outcome=enriched|duplicate|unusable}}: what the topology did with each record. */
public final class EnrichMetrics {

    final Counter enriched;
    final Counter duplicate;
    final Counter unusable;

    public EnrichMetrics(MeterRegistry metrics) {
        this.enriched = counter(metrics, "enriched", "Events written to events.enriched");
        this.duplicate = counter(metrics, "duplicate", "Events dropped as an event id seen within the dedup window");
        this.unusable = counter(metrics, "unusable", "Records on events.raw that are no event (not JSON, no event_id)");
    }

    private static Counter counter(MeterRegistry metrics, String outcome, String description) {
        return Counter.builder("atelier.pipeline.enrich.events").tag("outcome", outcome).description(description)
                .register(metrics);
    }
}
