package io.atelier.jobs.support;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.Loopback;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the packaged-app test of schedules: the real servers, and two instances from the same jar (the
 * {@code @QuarkusIntegrationTest}'s own and a second one) that both run a schedule firing every second.
 * Injects the {@link Run}: the schedule's name (unique per run: the database is shared) and how to reach the
 * database and the first instance's metrics.
 */
public class TwoSchedulers implements QuarkusTestResourceLifecycleManager {

    public record Run(String schedule, String jdbcUrl, String user, String password, int managementPort) {
    }

    private final RealServers servers = new RealServers();
    private final TestTokenKeys keys = new TestTokenKeys();
    private PackagedInstance other;
    private Run run;

    @Override
    public Map<String, String> start() {
        servers.init(Map.of(RealServers.SERVICE, "job-worker"));
        Map<String, String> values = new HashMap<>(servers.start());
        values.putAll(keys.start());
        String schedule = "every-second-" + UUID.randomUUID().toString().substring(0, 8);
        values.put("atelier.jobs.schedules." + schedule + ".cron", "* * * * * ?");
        values.put("atelier.jobs.schedules." + schedule + ".type", "noop");
        values.put("atelier.jobs.schedules." + schedule + ".payload", "{\"from\":\"" + schedule + "\"}");
        values.put("atelier.jobs.worker.poll-interval", "250ms");
        values.put("atelier.jobs.webhook.secret", "it-only-webhook-secret");
        other = PackagedInstance.start("job-worker-second-scheduler", values);
        int management = Loopback.freePort();
        run = new Run(schedule, values.get("quarkus.datasource.jdbc.url"), values.get("quarkus.datasource.username"),
                values.get("quarkus.datasource.password"), management);
        Map<String, String> first = new HashMap<>(values);
        first.put("quarkus.management.port", Integer.toString(management));
        return first;
    }

    @Override
    public void inject(TestInjector injector) {
        keys.inject(injector);
        injector.injectIntoFields(run, new TestInjector.MatchesType(Run.class));
    }

    @Override
    public void stop() {
        if (other != null) {
            other.close();
        }
        keys.stop();
    }
}
