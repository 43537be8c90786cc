package io.atelier.platform.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real PostgreSQL, Redis and Kafka of {@code ./atelier},
 * starting them first when they are not running. The init arg {@value #SERVICE} names the service
 * (a name in {@code deploy/local/services}); the test then connects with that service's own role,
 * so it can touch only that service's schema, exactly as in production.
 *
 * <pre>
 * &#64;QuarkusTestResource(value = RealServers.class, initArgs = &#64;ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
 * </pre>
 */
public class RealServers implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE = "service";

    private String service;

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.get(SERVICE);
        if (service == null) {
            throw new IllegalArgumentException("RealServers needs the init arg '" + SERVICE + "'");
        }
    }

    @Override
    public Map<String, String> start() {
        LocalSuite suite = LocalSuite.find();
        suite.ensureServersRunning();
        String role = suite.service(service).schema();
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", suite.jdbcUrl(),
                "quarkus.datasource.username", role,
                "quarkus.datasource.password", suite.databasePassword(role),
                "kafka.bootstrap.servers", suite.kafkaBootstrap(),
                "ATELIER_SECRETS_DIR", suite.secretsDir().toString()));
        if (onClasspath("io.quarkus.redis.client.RedisClientName")) {
            config.put("quarkus.redis.hosts", suite.redisUrl());
        }
        return config;
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        // The servers are shared by every test run and by ./atelier up; they stay up.
    }
}
