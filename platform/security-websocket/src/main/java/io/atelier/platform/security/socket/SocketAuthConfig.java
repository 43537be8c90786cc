package io.atelier.platform.security.socket;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How WebSocket handshakes are authenticated (platform/security/README.md). */
@ConfigMapping(prefix = "atelier.websocket.auth")
public interface SocketAuthConfig {

    /**
     * Every WebSocket handshake whose path starts with this prefix must carry a valid access token;
     * one without is accepted and closed at once with 4401. Other paths (Quarkus' own tooling) are
     * left alone.
     */
    @WithDefault("/ws/")
    String pathPrefix();

    /**
     * Whether a handshake may carry the token in the {@code access_token} query parameter, for browsers
     * that can set neither headers nor sub-protocols. Only handshakes, never plain HTTP requests: a URL
     * ends up in logs and histories.
     */
    @WithDefault("true")
    boolean queryToken();
}
