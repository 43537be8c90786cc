package io.atelier.jobs.config;

import java.time.Duration;

/** One job type's settings: its own where {@code atelier.jobs.types."<type>".*} sets them, else the defaults. */
public record TypeLimits(int concurrency, Duration timeout, int maxAttempts) {

    public static TypeLimits of(JobsConfig config, String type) {
        JobsConfig.TypeDefaults defaults = config.defaults();
        JobsConfig.TypeSettings own = config.types().get(type);
        if (own == null) {
            return new TypeLimits(defaults.concurrency(), defaults.timeout(), defaults.maxAttempts());
        }
        return new TypeLimits(own.concurrency().orElse(defaults.concurrency()), own.timeout().orElse(defaults.timeout()),
                own.maxAttempts().orElse(defaults.maxAttempts()));
    }
}
