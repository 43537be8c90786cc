package io.atelier.auth.signup;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.atelier.platform.web.ClientAddress;
import io.atelier.platform.web.Problem;

@Path("/api/v1/auth/signup")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class SignupResource {

    private final SignupService signups;
    private final ClientAddress client;

    SignupResource(SignupService signups, ClientAddress client) {
        this.signups = signups;
        this.client = client;
    }

    @POST
    public Response signup(@Valid @NotNull SignupRequest request) {
        return Response.status(Response.Status.CREATED).entity(signups.signup(request, client.ip())).build();
    }
}
