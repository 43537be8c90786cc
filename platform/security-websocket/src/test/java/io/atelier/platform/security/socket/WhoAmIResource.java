package io.atelier.platform.security.socket;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.platform.security.Caller;
import io.atelier.platform.security.CurrentCaller;
import io.quarkus.security.Authenticated;

/** A plain HTTP resource beside the sockets: the query-parameter token must not work here. */
@Path("/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    private final CurrentCaller caller;

    WhoAmIResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    @Authenticated
    public Caller whoami() {
        return caller.get();
    }
}
