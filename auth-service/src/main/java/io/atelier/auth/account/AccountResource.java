package io.atelier.auth.account;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.atelier.auth.account.AccountDtos.ChangePasswordRequest;
import io.atelier.auth.account.AccountDtos.LoginRequest;
import io.atelier.auth.account.AccountDtos.SignupRequest;
import io.atelier.auth.account.AccountDtos.TokenResponse;
import io.atelier.auth.account.AccountDtos.UpdateProfileRequest;
import io.atelier.auth.account.AccountDtos.UserView;
import io.atelier.platform.web.Problem;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class AccountResource {

    private final AccountService accounts;
    private final CurrentUser caller;
    private final HttpServerRequest http;

    AccountResource(AccountService accounts, CurrentUser caller, HttpServerRequest http) {
        this.accounts = accounts;
        this.caller = caller;
        this.http = http;
    }

    @POST
    @Path("/signup")
    public Response signup(@Valid @NotNull SignupRequest request) {
        TokenResponse tokens = accounts.signup(request, clientIp());
        return Response.status(Response.Status.CREATED).entity(tokens).build();
    }

    @POST
    @Path("/login")
    public TokenResponse login(@Valid @NotNull LoginRequest request) {
        return accounts.login(request, clientIp());
    }

    @GET
    @Path("/me")
    @Authenticated
    public UserView me() {
        return accounts.me(caller.id());
    }

    @PATCH
    @Path("/me")
    @Authenticated
    public UserView updateMe(@Valid @NotNull UpdateProfileRequest request) {
        return accounts.updateDisplayName(caller.id(), request.displayName());
    }

    @POST
    @Path("/me/password")
    @Authenticated
    public void changePassword(@Valid @NotNull ChangePasswordRequest request) {
        accounts.changePassword(caller.id(), caller.sessionId(), request);
    }

    /** The caller's address; behind the gateway Quarkus takes it from X-Forwarded-For (trusted proxies only). */
    private String clientIp() {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
