package io.atelier.pipeline.sender;

import java.util.UUID;

/**
 * Who sends events: a signed-in user (bearer token; their events are theirs: {@code user_id} is their id) or a
 * source with a write key (a web site, an app, a backend; it names the users itself).
 */
public sealed interface Sender {

    /** The rate-limit subject and the {@code ce_sender} value: {@code user:<id>} or {@code source:<name>}. */
    String subject();

    /** For metrics: {@code user} for every user (ids are unbounded), else the source's configured name. */
    String metricTag();

    record User(UUID id) implements Sender {
        @Override
        public String subject() {
            return "user:" + id;
        }

        @Override
        public String metricTag() {
            return "user";
        }
    }

    record Source(String name) implements Sender {
        @Override
        public String subject() {
            return "source:" + name;
        }

        @Override
        public String metricTag() {
            return name;
        }
    }
}
