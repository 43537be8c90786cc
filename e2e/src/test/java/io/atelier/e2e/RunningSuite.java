package io.atelier.e2e;

import io.atelier.platform.testing.LocalSuite;

/** Brings up what the end-to-end tests go through: the servers, the services and the gateway. */
public final class RunningSuite {

    /** The gateway as a client reaches it; its port comes from deploy/local/defaults.env (or the environment). */
    public static final String GATEWAY = "http://localhost:" + LocalSuite.find().port("ATELIER_GATEWAY_PORT");

    private static boolean started;

    private RunningSuite() {
    }

    public static synchronized void ensureUp() {
        if (started) {
            return;
        }
        LocalSuite suite = LocalSuite.find();
        suite.ensureServersRunning();
        suite.start("auth-service"); // idempotent: a running one is kept
        suite.start("content-service");
        suite.start("workspace-service");
        suite.start("job-worker");
        suite.start("pipeline-ingest");
        suite.start("gateway");
        started = true;
    }
}
