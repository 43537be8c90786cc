package io.atelier.pipeline.intake;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.pipeline.schema.EventChecker;
import io.atelier.pipeline.schema.EventSchemas;
import io.quarkus.runtime.Startup;

/** The schema classes are plain Java (tested without Quarkus); here they become beans. */
public class IntakeBeans {

    /** Read at start: a missing or broken schema stops the service rather than its first request. */
    @Produces
    @Singleton
    @Startup
    EventSchemas schemas() {
        return EventSchemas.fromClasspath();
    }

    @Produces
    @Singleton
    EventChecker checker(EventSchemas schemas, PipelineConfig config, Clock clock) {
        return new EventChecker(schemas, config.limits().maxEventBytes(), config.limits().maxFuture(), clock);
    }
}
