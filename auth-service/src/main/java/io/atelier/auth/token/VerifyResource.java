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
            return inactive("A bearer token is required.", requestId);
        }
        try {
            JwtClaims claims = tokens.verify(token);
            return Response.ok(new ActiveToken(true, claims.getSubject(), claims.getStringClaimValue("email"),
                    claims.getExpirationTime().getValue(), claims.getIssuedAt().getValue())).build();
        } catch (InvalidTokenException | MalformedClaimException e) {
            return inactive("The token is not valid.", requestId);
        }
    }

    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static Response inactive(String detail, String requestId) {
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
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
