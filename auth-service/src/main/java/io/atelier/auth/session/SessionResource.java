package io.atelier.auth.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.auth.account.AccountService;
import io.atelier.auth.account.CurrentUser;
import io.atelier.auth.account.AccountDtos.TokenResponse;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class SessionResource {

    private final SessionService sessions;
    private final AccountService accounts;
    private final CurrentUser caller;

    SessionResource(SessionService sessions, AccountService accounts, CurrentUser caller) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.caller = caller;
    }

    public record RefreshRequest(@NotNull @Size(max = 128) String refreshToken) {
    }

    @POST
    @Path("/refresh")
    public TokenResponse refresh(@Valid @NotNull RefreshRequest request) {
        return sessions.refresh(request.refreshToken())
                .map(accounts::tokenResponseFor)
                .orElseThrow(InvalidRefreshToken::new);
    }

    @POST
    @Path("/logout")
    public void logout(@Valid @NotNull RefreshRequest request) {
        sessions.logout(request.refreshToken());
    }

    @POST
    @Path("/logout-all")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    public void logoutAll() {
        sessions.revokeAll(caller.id(), null, SessionService.REASON_LOGOUT_ALL);
    }

    static final class InvalidRefreshToken extends ProblemException {
        InvalidRefreshToken() {
            super(401, "Invalid refresh token", "The refresh token is unknown, expired or revoked; sign in again.",
                    Problem.ABOUT_BLANK, null, java.util.Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        }
    }
}
