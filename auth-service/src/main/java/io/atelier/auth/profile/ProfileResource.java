package io.atelier.auth.profile;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.platform.security.CurrentCaller;
import io.atelier.auth.user.UserView;
import io.atelier.platform.web.ClientAddress;
import io.atelier.platform.web.Problem;
import io.quarkus.security.Authenticated;

@Path("/api/v1/auth/me")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ProfileResource {

    private final ProfileService profiles;
    private final CurrentCaller caller;
    private final ClientAddress client;

    ProfileResource(ProfileService profiles, CurrentCaller caller, ClientAddress client) {
        this.profiles = profiles;
        this.caller = caller;
        this.client = client;
    }

    @GET
    public UserView me() {
        return profiles.me(caller.get().id());
    }

    @PATCH
    public UserView updateMe(@Valid @NotNull ProfileRequests.UpdateProfile request) {
        return profiles.rename(caller.get().id(), request.displayName());
    }

    @POST
    @Path("/password")
    public void changePassword(@Valid @NotNull ProfileRequests.ChangePassword request) {
        profiles.changePassword(caller.get().id(), caller.get().sessionId(), request, client.ip());
    }
}
