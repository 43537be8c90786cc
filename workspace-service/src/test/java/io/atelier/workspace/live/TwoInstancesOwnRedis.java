package io.atelier.workspace.live;

import java.util.HashMap;
import java.util.Map;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.PrivateRedis;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the packaged-app test of what spans instances: the real PostgreSQL and Kafka, a Redis of the test's
 * own (so it can be restarted without touching the shared one), and a second instance from the same jar
 * with the same settings. Presence runs on a short heartbeat and expiry, so a dead instance's ghosts go
 * within seconds. Injects the {@link PrivateRedis} and the second {@link PackagedInstance} into test fields.
 */
public class TwoInstancesOwnRedis implements QuarkusTestResourceLifecycleManager {

    /** The settings both instances run with, for a test that starts one more. */
    public record Settings(Map<String, String> values) {
    }

    static final int HEARTBEAT_SECONDS = 1;
    static final int EXPIRY_SECONDS = 4;

    private final RealServers servers = new RealServers();
    private final TestTokenKeys keys = new TestTokenKeys();
    private final PrivateRedis redis = new PrivateRedis();
    private PackagedInstance second;
    private Settings settings;

    @Override
    public Map<String, String> start() {
        servers.init(Map.of(RealServers.SERVICE, "workspace-service"));
        Map<String, String> settings = new HashMap<>(servers.start());
        settings.putAll(keys.start());
        settings.putAll(redis.start());
        settings.put("atelier.workspace.live.presence.heartbeat", HEARTBEAT_SECONDS + "s");
        settings.put("atelier.workspace.live.presence.expiry", EXPIRY_SECONDS + "s");
        this.settings = new Settings(Map.copyOf(settings));
        second = PackagedInstance.start("workspace-service-second", settings);
        return settings;
    }

    @Override
    public void inject(TestInjector injector) {
        keys.inject(injector);
        injector.injectIntoFields(second, new TestInjector.MatchesType(PackagedInstance.class));
        injector.injectIntoFields(redis, new TestInjector.MatchesType(PrivateRedis.class));
        injector.injectIntoFields(settings, new TestInjector.MatchesType(Settings.class));
    }

    @Override
    public void stop() {
        if (second != null) {
            second.close();
        }
        redis.stop();
        keys.stop();
    }
}
