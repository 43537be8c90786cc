package io.atelier.workspace.member;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.QueryParams;
import io.atelier.workspace.config.WorkspaceConfig;
import io.quarkus.security.Authenticated;

/** A project's members over HTTP; a non-member is told the project does not exist (404). */
@Path("/api/v1/projects/{id}/collaborators")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class CollaboratorResource {

    private final MemberService members;
    private final CurrentCaller caller;
    private final WorkspaceConfig config;

    CollaboratorResource(MemberService members, CurrentCaller caller, WorkspaceConfig config) {
        this.members = members;
        this.caller = caller;
        this.config = config;
    }

    @GET
    public Page<MemberView> list(@PathParam("id") UUID id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        UUID me = caller.get().id();
        PageCursor after = PageCursor.decode(cursor);
        int size = QueryParams.limit(limit, config.pages().defaultLimit(), config.pages().maxLimit());
        return members.list(me, id, after, size);
    }

    /** 201 with the new member and {@code Location}; rate limited per inviting user (429 + Retry-After). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("id") UUID id, @Valid @NotNull InviteInput input) {
        MemberView member = members.invite(caller.get().id(), id, input);
        return Response.created(URI.create("/api/v1/projects/" + id + "/collaborators/" + member.userId()))
                .entity(member).build();
    }

    @PATCH
    @Path("{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemberView changeRole(@PathParam("id") UUID id, @PathParam("userId") UUID userId,
            @Valid @NotNull RoleInput input) {
        return members.changeRole(caller.get().id(), id, userId, input.role());
    }

    /** An OWNER removes a member; a member removes themself to leave. */
    @DELETE
    @Path("{userId}")
    public Response remove(@PathParam("id") UUID id, @PathParam("userId") UUID userId) {
        members.remove(caller.get().id(), id, userId);
        return Response.noContent().build();
    }
}
