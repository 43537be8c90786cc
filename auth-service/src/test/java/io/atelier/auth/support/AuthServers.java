package io.atelier.auth.support;

import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every @QuarkusTest of auth-service runs on the real servers with the service's own role. */
@QuarkusTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
public class AuthServers {
}
