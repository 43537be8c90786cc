package io.atelier.platform.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long verified access tokens are remembered ({@link CachingTokenParser}). */
@ConfigMapping(prefix = "atelier.tokens.cache")
public interface TokenCacheConfig {

    /** Distinct tokens remembered; 0 verifies every request's token afresh. */
    @WithDefault("10000")
    int maxSize();

    /** Longest a verified token is remembered (never past its exp). */
    @WithDefault("5m")
    Duration maxAge();
}
