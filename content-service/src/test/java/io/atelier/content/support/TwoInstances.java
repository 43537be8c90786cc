package io.atelier.content.support;

import java.util.HashMap;
import java.util.Map;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the packaged-app test: the real servers and token keys, as the other tests have them, plus a
 * second content-service instance from the same jar with the same settings, injected into test fields of
 * type {@link PackagedInstance}. The {@code @QuarkusIntegrationTest}'s own instance is the first.
 */
public class TwoInstances implements QuarkusTestResourceLifecycleManager {

    private final RealServers servers = new RealServers();
    private final TestTokenKeys keys = new TestTokenKeys();
    private PackagedInstance second;

    @Override
    public Map<String, String> start() {
        servers.init(Map.of(RealServers.SERVICE, "content-service"));
        Map<String, String> settings = new HashMap<>(servers.start());
        settings.putAll(keys.start());
        second = PackagedInstance.start("content-service-second", settings);
        return settings;
    }

    @Override
    public void inject(TestInjector injector) {
        keys.inject(injector);
        injector.injectIntoFields(second, new TestInjector.MatchesType(PackagedInstance.class));
    }

    @Override
    public void stop() {
        if (second != null) {
            second.close();
        }
        keys.stop();
    }
}
