package io.atelier.auth.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.Problem;
import io.quarkus.security.Authenticated;

@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class SessionResource {

    private final SessionService sessions;
    private final CurrentCaller caller;

    SessionResource(SessionService sessions, CurrentCaller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    /**
     * No length rule: anything that is not one of our tokens (an access token, a typo) is simply
     * unknown, a 401, and the body limit bounds what can be sent.
     */
    public record RefreshRequest(@NotNull String refreshToken) {
    }

    @POST
    @Path("/refresh")
    public TokenResponse refresh(@Valid @NotNull RefreshRequest request) {
        return sessions.refresh(request.refreshToken()).orElseThrow(SessionProblems.InvalidRefreshToken::new);
    }

    /** 204 also for a sign-in that has already ended; 401 for a token never issued here. */
    @POST
    @Path("/logout")
    public void logout(@Valid @NotNull RefreshRequest request) {
        if (!sessions.logout(request.refreshToken())) {
            throw new SessionProblems.InvalidRefreshToken();
        }
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    public void logoutAll() {
        sessions.revokeAll(caller.get().id(), null, SessionService.REASON_LOGOUT_ALL);
    }
}
