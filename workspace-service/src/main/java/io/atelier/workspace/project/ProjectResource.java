package io.atelier.workspace.project;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.atelier.platform.idempotency.IdempotencyKey;
import io.atelier.platform.idempotency.IdempotentCreates;
import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.QueryParams;
import io.atelier.workspace.config.WorkspaceConfig;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Projects over HTTP. A malformed id in the path is a 404, like any id that names nothing (as content-service). */
@Path("/api/v1/projects")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ProjectResource {

    private final ProjectService projects;
    private final CurrentCaller caller;
    private final WorkspaceConfig config;
    private final IdempotentCreates idempotent;

    ProjectResource(ProjectService projects, CurrentCaller caller, WorkspaceConfig config, IdempotentCreates idempotent) {
        this.projects = projects;
        this.caller = caller;
        this.config = config;
        this.idempotent = idempotent;
    }

    /**
     * {@code {items: [project], nextCursor}}: the caller's projects with their role, ready-made from the cache.
     * Runs on the event loop: a cached page is one Redis call away; only a miss goes to a worker thread.
     */
    @GET
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ProjectPage.class)))
    public Uni<Response> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        UUID me = caller.get().id();
        PageCursor after = PageCursor.decode(cursor);
        int size = QueryParams.limit(limit, config.pages().defaultLimit(), config.pages().maxLimit());
        return projects.listJson(me, after, size).map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** The list's shape, for the OpenAPI document. */
    record ProjectPage(java.util.List<ProjectView> items, String nextCursor) {
    }

    /** The caller becomes its OWNER. With an {@code Idempotency-Key}, a retried create answers the first project again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key, @Valid @NotNull ProjectInput input) {
        UUID me = caller.get().id();
        return idempotent.create("projects.create:" + me, IdempotencyKey.of(key), input, () -> {
            ProjectView project = projects.create(me, input);
            return Response.created(URI.create("/api/v1/projects/" + project.id())).entity(project).build();
        });
    }

    @GET
    @Path("{id}")
    public ProjectView get(@PathParam("id") UUID id) {
        return projects.get(caller.get().id(), id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProjectView update(@PathParam("id") UUID id, @Valid @NotNull ProjectInput input) {
        return projects.update(caller.get().id(), id, input);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        projects.delete(caller.get().id(), id);
        return Response.noContent().build();
    }
}
