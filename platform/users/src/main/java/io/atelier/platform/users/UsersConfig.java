package io.atelier.platform.users;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "atelier.users")
public interface UsersConfig {

    /**
     * Longest pause between attempts to store an event while the database refuses it (the pause doubles
     * from 250 ms up to this). The consumer holds the event meanwhile: nothing behind it overtakes it.
     */
    @WithDefault("10s")
    Duration maxBackoff();
}
