package io.atelier.auth.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Every auth-service test runs with Google sign-in enabled against the local provider: bearer tokens must still work. */
@QuarkusTestResource(LocalOidcProvider.class)
public class GoogleStandIn {
}
