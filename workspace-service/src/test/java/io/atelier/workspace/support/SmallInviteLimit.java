package io.atelier.workspace.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Three invitations per user per minute instead of 30, so a test reaches the limit in a few requests. */
public class SmallInviteLimit implements QuarkusTestResourceLifecycleManager {

    public static final int LIMIT = 3;

    @Override
    public Map<String, String> start() {
        return Map.of("atelier.workspace.invites.limit", Integer.toString(LIMIT));
    }

    @Override
    public void stop() {
    }
}
