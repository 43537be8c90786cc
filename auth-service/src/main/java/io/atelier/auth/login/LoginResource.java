package io.atelier.auth.login;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.auth.session.TokenResponse;
import io.atelier.platform.web.ClientAddress;
import io.atelier.platform.web.Problem;

@Path("/api/v1/auth/login")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class LoginResource {

    private final LoginService logins;
    private final ClientAddress client;

    LoginResource(LoginService logins, ClientAddress client) {
        this.logins = logins;
        this.client = client;
    }

    @POST
    public TokenResponse login(@Valid @NotNull LoginRequest request) {
        return logins.login(request, client.ip());
    }
}
