package io.atelier.auth.google;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.atelier.auth.session.TokenResponse;
import io.atelier.platform.web.Problem;
import io.quarkus.oidc.AuthorizationCodeFlow;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OidcSession;
import io.quarkus.oidc.Tenant;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Google sign-in. The browser flow (state, nonce, PKCE, code exchange, ID-token validation) is
 * quarkus-oidc's 'google' tenant; once it has a validated ID token, this resource turns it into an
 * Atelier sign-in and ends the OIDC cookie session (Atelier's own tokens are the session).
 */
@Path("/api/v1/auth/google")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class GoogleSignInResource {

    /** In the code flow quarkus-oidc's principal is the validated ID token. */
    private final SecurityIdentity caller;
    private final OidcSession oidcSession;
    private final TenantIdentityProvider googleTokens;
    private final GoogleSignInService google;
    private final String clientId;

    GoogleSignInResource(SecurityIdentity caller, OidcSession oidcSession,
            @Tenant("google") TenantIdentityProvider googleTokens, GoogleSignInService google,
            @ConfigProperty(name = "quarkus.oidc.google.client-id") String clientId) {
        this.caller = caller;
        this.oidcSession = oidcSession;
        this.googleTokens = googleTokens;
        this.google = google;
        this.clientId = clientId;
    }

    /**
     * Unauthenticated, quarkus-oidc answers with a 302 to Google; after the callback it brings the
     * browser back here (path and query restored), now with a validated ID token.
     */
    @GET
    @Authenticated
    @AuthorizationCodeFlow
    public Response signIn(@QueryParam("redirect_uri") String redirectUri) {
        // An off-list redirect_uri never gets here: GoogleRequestGuard refuses it before the flow starts.
        TokenResponse tokens;
        try {
            tokens = google.signIn(GoogleIdentity.of((JsonWebToken) caller.getPrincipal()));
        } finally {
            endOidcSession();
        }
        if (redirectUri == null) {
            return Response.ok(tokens).build();
        }
        String fragment = "access_token=" + encode(tokens.accessToken()) + "&refresh_token=" + encode(tokens.refreshToken())
                + "&token_type=Bearer&expires_in=" + tokens.expiresIn();
        return Response.seeOther(URI.create(redirectUri + "#" + fragment)).build(); // no-store: NoStoreByDefault
    }

    /** quarkus-oidc handles the provider's redirect here and sends the browser back to {@link #signIn}. */
    @GET
    @Path("/callback")
    @Authenticated
    @AuthorizationCodeFlow
    public Response callback() {
        return signIn(null);
    }

    public record IdTokenRequest(@NotBlank @Size(max = 8192) String idToken) {
    }

    /** For mobile and single-page clients that already hold a Google ID token. */
    @POST
    @Path("/id-token")
    @Consumes(MediaType.APPLICATION_JSON)
    public TokenResponse signInWithIdToken(@Valid @NotNull IdTokenRequest request) {
        SecurityIdentity identity;
        try {
            identity = googleTokens.authenticate(new AccessTokenCredential(request.idToken())).await().indefinitely();
        } catch (AuthenticationFailedException e) {
            throw new GoogleProblems.InvalidIdToken();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof AuthenticationFailedException || e instanceof io.quarkus.oidc.OIDCException) {
                throw new GoogleProblems.InvalidIdToken();
            }
            throw e;
        }
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        // Validated like a bearer token (signature, issuer, expiry); an ID token must also be for us.
        if (token.getAudience() == null || !token.getAudience().contains(clientId)) {
            throw new GoogleProblems.InvalidIdToken();
        }
        return google.signIn(GoogleIdentity.of(token));
    }

    private void endOidcSession() {
        oidcSession.logout().await().indefinitely();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
