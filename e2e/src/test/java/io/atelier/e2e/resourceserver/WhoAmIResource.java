package io.atelier.e2e.resourceserver;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;

/** The resource server's one protected endpoint: who does the token say I am? */
@Path("/whoami")
public class WhoAmIResource {

    @Inject
    JsonWebToken jwt;

    @GET
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> whoami() {
        return Map.of("sub", jwt.getSubject(), "email", jwt.getClaim("email"), "groups", jwt.getGroups(),
                "issuer", jwt.getIssuer());
    }
}
