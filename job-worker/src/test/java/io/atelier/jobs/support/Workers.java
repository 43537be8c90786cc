package io.atelier.jobs.support;

import java.util.HashMap;
import java.util.Map;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the packaged-app test of workers dying: the real servers, the {@code @QuarkusIntegrationTest}'s own
 * instance as the API only, and a separate worker instance from the same jar (the one the test kills).
 * Short leases, so a dead worker's job is taken back within seconds; webhooks may reach 127.0.0.1.
 * Injects the {@link Settings} (to start another worker) and the worker {@link PackagedInstance}.
 */
public class Workers implements QuarkusTestResourceLifecycleManager {

    /** What every instance runs with; a worker adds {@code atelier.jobs.worker.enabled=true}. */
    public record Settings(Map<String, String> values) {

        public Map<String, String> worker() {
            Map<String, String> worker = new HashMap<>(values);
            worker.put("atelier.jobs.worker.enabled", "true");
            return worker;
        }
    }

    public static final String SECRET = "it-only-webhook-secret";

    private final RealServers servers = new RealServers();
    private final TestTokenKeys keys = new TestTokenKeys();
    private PackagedInstance worker;
    private Settings settings;

    @Override
    public Map<String, String> start() {
        servers.init(Map.of(RealServers.SERVICE, "job-worker"));
        Map<String, String> values = new HashMap<>(servers.start());
        values.putAll(keys.start());
        values.put("atelier.jobs.worker.lease", "2s");
        values.put("atelier.jobs.worker.heartbeat", "500ms");
        values.put("atelier.jobs.worker.poll-interval", "250ms");
        values.put("atelier.jobs.retry.base-delay", "200ms");
        values.put("atelier.jobs.retry.max-delay", "1s");
        values.put("atelier.jobs.webhook.secret", SECRET);
        values.put("atelier.jobs.webhook.allowed-networks", "127.0.0.1/32");
        // The delivery the test interrupts by killing its worker must still hang when the kill comes.
        values.put("atelier.jobs.webhook.read-timeout", "5m");
        values.put("atelier.jobs.defaults.timeout", "10m");
        settings = new Settings(Map.copyOf(values));
        worker = PackagedInstance.start("job-worker-doomed", settings.worker());
        Map<String, String> api = new HashMap<>(values);
        api.put("atelier.jobs.worker.enabled", "false");
        return api;
    }

    @Override
    public void inject(TestInjector injector) {
        keys.inject(injector);
        injector.injectIntoFields(worker, new TestInjector.MatchesType(PackagedInstance.class));
        injector.injectIntoFields(settings, new TestInjector.MatchesType(Settings.class));
    }

    @Override
    public void stop() {
        if (worker != null) {
            worker.close();
        }
        keys.stop();
    }
}
