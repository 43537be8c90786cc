package io.atelier.jobs.handler;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code noop}: does nothing and succeeds; for benchmarks and for checking the pipeline end to end. */
@ApplicationScoped
public class NoopHandler implements JobHandler {

    public static final String TYPE = "noop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode run(JobContext job) {
        return null;
    }
}
