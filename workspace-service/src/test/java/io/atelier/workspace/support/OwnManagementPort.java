package io.atelier.workspace.support;

import java.util.Map;

import io.atelier.platform.testing.Loopback;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the packaged-app test: a free management port. The jar runs with the prod profile, where the
 * management interface would take 9083, which a running suite ({@code ./atelier up}, the e2e tests)
 * already holds.
 */
public class OwnManagementPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.management.port", Integer.toString(Loopback.freePort()));
    }

    @Override
    public void stop() {
    }
}
