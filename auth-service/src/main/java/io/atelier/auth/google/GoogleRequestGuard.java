package io.atelier.auth.google;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.atelier.auth.config.AuthConfig;
import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemResponse;
import io.atelier.platform.web.ProblemType;

/**
 * Answers what the Google paths can tell before quarkus-oidc sends anyone to Google: 503 while no
 * Google client is configured, and 400 for a {@code redirect_uri} off the allow-list, so that a user
 * never signs in at Google only to be refused on the way back. Pre-matching: it runs before any
 * security check.
 */
public class GoogleRequestGuard {

    private static final String PATH = "/api/v1/auth/google";

    private final boolean enabled;
    private final AuthConfig config;

    GoogleRequestGuard(@ConfigProperty(name = "quarkus.oidc.google.tenant-enabled") boolean enabled, AuthConfig config) {
        this.enabled = enabled;
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals(PATH) || path.startsWith(PATH + "/"))) {
            return null;
        }
        ProblemResponse problem = null;
        if (!enabled) {
            problem = ProblemResponse.of(GoogleProblems.NOT_CONFIGURED)
                    .detail("This deployment has no Google client; see ATELIER_AUTH_GOOGLE_* in docs/auth.md.");
        } else if (path.equals(PATH)) {
            var redirects = request.getUriInfo().getQueryParameters().get("redirect_uri");
            if (redirects != null && (redirects.size() > 1 || !config.google().allowedRedirects().contains(redirects.get(0)))) {
                problem = ProblemResponse.of(ProblemType.VALIDATION).detail("This redirect_uri is not allowed.")
                        .errors(List.of(new Problem.FieldError("redirect_uri", "not in the allow-list")));
            }
        }
        return problem == null ? null
                : problem.requestId(request.getHeaderString(AtelierHeaders.REQUEST_ID)).instance(path).build();
    }
}
