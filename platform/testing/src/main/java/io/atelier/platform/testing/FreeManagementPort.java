package io.atelier.platform.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For a packaged-app test ({@code *IT}): a free management port. The jar runs with the prod profile, where
 * the management interface would take its service's fixed port (9081, 9082, ...), which a running suite
 * ({@code ./atelier up}, the e2e tests) already holds. {@code @WithTestResource(FreeManagementPort.class)}.
 */
public class FreeManagementPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.management.port", Integer.toString(Loopback.freePort()));
    }

    @Override
    public void stop() {
    }
}
