package io.atelier.auth.google;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemMappers;

/**
 * While Google sign-in is not configured, its paths say so (503) instead of failing authentication.
 * Pre-matching, so it answers before any security check runs.
 */
public class GoogleAvailability {

    private static final String PATH = "/api/v1/auth/google";

    private final boolean enabled;

    GoogleAvailability(@ConfigProperty(name = "quarkus.oidc.google.tenant-enabled") boolean enabled) {
        this.enabled = enabled;
    }

    @ServerRequestFilter(preMatching = true)
    public Response unavailableUnlessConfigured(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (enabled || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
            return null;
        }
        return ProblemMappers.problem(503, "Google sign-in is not configured",
                "This deployment has no Google client; see ATELIER_AUTH_GOOGLE_* in docs/auth.md.", Problem.ABOUT_BLANK,
                null, request.getHeaderString("X-Request-Id"), path).build();
    }
}
