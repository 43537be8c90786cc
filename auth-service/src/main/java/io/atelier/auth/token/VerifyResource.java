package io.atelier.auth.token;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.Problem;
import io.smallrye.common.annotation.NonBlocking;

/** Token introspection for callers that cannot verify tokens themselves. Stateless: no database. */
@Path("/api/v1/auth/verify")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@NonBlocking // decrypt + verify is a few hundred microseconds of CPU; no I/O
public class VerifyResource {

    private final AccessTokens tokens;

    VerifyResource(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    public Response verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Request-Id") String requestId) {
        String token = bearer(authorization);
        if (token == null) {
            return inactive("A bearer token is required.", requestId,
                    authorization == null ? Challenges.BEARER : Challenges.INVALID_TOKEN);
        }
        try {
            JwtClaims claims = tokens.verify(token);
            return Response.ok(new ActiveToken(true, claims.getSubject(), claims.getStringClaimValue("email"),
                    claims.getExpirationTime().getValue(), claims.getIssuedAt().getValue())).build();
        } catch (InvalidTokenException | MalformedClaimException e) {
            return inactive("The token is not valid.", requestId, Challenges.INVALID_TOKEN);
        }
    }

    /**
     * RFC 6750's grammar exactly, as smallrye-jwt reads it for every other endpoint: the scheme (any
     * case), one space, a token68. Anything else (two spaces, a trailing space, a comma) is no token.
     */
    static String bearer(String authorization) {
        if (authorization == null || !BEARER.matcher(authorization).matches()) {
            return null;
        }
        return authorization.substring(7);
    }

    private static final java.util.regex.Pattern BEARER = java.util.regex.Pattern
            .compile("(?i:bearer) [A-Za-z0-9\\-._~+/]+=*");

    private static Response inactive(String detail, String requestId, String challenge) {
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .entity(new InactiveToken(Problem.ABOUT_BLANK, "Unauthorized", 401, detail, requestId, false))
                .build();
    }

    public record ActiveToken(boolean active, String sub, String email, long exp, long iat) {
    }

    /** The problem body of /verify: RFC 9457 plus {@code active: false}, as token introspection answers. */
    public record InactiveToken(java.net.URI type, String title, int status, String detail, String requestId,
            boolean active) {
    }
}
