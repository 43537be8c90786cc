package io.atelier.gateway;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.atelier.platform.testing.LocalSuite;

/**
 * The rendered gateway on the real nginx, in front of stand-in services, for one test class:
 * {@code @RegisterExtension static final GatewayWithStandIns gateway = GatewayWithStandIns.all();}.
 */
final class GatewayWithStandIns implements BeforeAllCallback, AfterAllCallback {

    private final Set<String> down;
    private final Map<String, String> settings;
    private FakeUpstreams upstreams;
    private GatewayUnderTest gateway;

    private GatewayWithStandIns(Set<String> down, Map<String, String> settings) {
        this.down = down;
        this.settings = settings;
    }

    /** Every service answers. */
    static GatewayWithStandIns all() {
        return new GatewayWithStandIns(Set.of(), Map.of());
    }

    /** These services are down: nothing listens on their ports. */
    static GatewayWithStandIns withDown(String... services) {
        return new GatewayWithStandIns(Set.of(services), Map.of());
    }

    /** Every service answers; the gateway is rendered with these render.sh settings. */
    static GatewayWithStandIns withSettings(Map<String, String> settings) {
        return new GatewayWithStandIns(Set.of(), settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        upstreams = new FakeUpstreams();
        gateway = GatewayUnderTest.start(LocalSuite.find().root(), upstreams.startAll(GatewayUnderTest.SERVICES, down),
                settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        gateway.close();
        upstreams.close();
    }

    int port() {
        return gateway.port;
    }

    FakeUpstreams upstreams() {
        return upstreams;
    }
}
