package io.atelier.platform.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The test app's resource: the caller as a service sees it, guarded the usual way and not at all. */
@Path("/caller")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    private final CurrentCaller caller;

    CallerResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    @Authenticated
    public Caller authenticated() {
        return caller.get();
    }

    /** Runs on the event loop, where nothing may block: the identity is resolved before it runs. */
    @GET
    @Authenticated
    @Path("/reactive")
    public Uni<Caller> reactive() {
        return Uni.createFrom().item(caller::get);
    }

    /** No annotation: CurrentCaller itself must refuse an anonymous request. */
    @GET
    @Path("/unguarded")
    public Caller unguarded() {
        return caller.get();
    }
}
