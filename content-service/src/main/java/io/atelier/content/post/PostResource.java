package io.atelier.content.post;

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

import io.atelier.content.config.ContentConfig;
import io.atelier.platform.idempotency.IdempotencyKey;
import io.atelier.platform.idempotency.IdempotentCreates;
import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.QueryParams;
import io.quarkus.security.Authenticated;

/** Posts over HTTP. A malformed id in the path is a 404, like any id that names nothing. */
@Path("/api/v1/posts")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class PostResource {

    private final PostService posts;
    private final CurrentCaller caller;
    private final ContentConfig config;
    private final IdempotentCreates idempotent;

    PostResource(PostService posts, CurrentCaller caller, ContentConfig config, IdempotentCreates idempotent) {
        this.posts = posts;
        this.caller = caller;
        this.config = config;
        this.idempotent = idempotent;
    }

    /** {@code {items: [post], nextCursor}}; the first page of everyone's posts comes ready-made from memory. */
    @GET
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PostPage.class)))
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("authorId") String authorId) {
        caller.get();
        UUID author = QueryParams.uuid("authorId", authorId);
        PageCursor after = PageCursor.decode(cursor);
        int size = QueryParams.limit(limit, config.pages().defaultLimit(), config.pages().maxLimit());
        Object page = author == null && after == null ? posts.newestJson(size) : posts.list(author, after, size);
        return Response.ok(page, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The list's shape, for the OpenAPI document. */
    record PostPage(java.util.List<PostView> items, String nextCursor) {
    }

    /** With an {@code Idempotency-Key}, a retried create answers the first post again instead of a second one. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key, @Valid @NotNull PostInput input) {
        UUID me = caller.get().id();
        return idempotent.create("posts.create:" + me, IdempotencyKey.of(key), input, () -> {
            PostView post = posts.create(me, input);
            return Response.created(URI.create("/api/v1/posts/" + post.id())).entity(post).build();
        });
    }

    @GET
    @Path("{id}")
    public PostView get(@PathParam("id") UUID id) {
        caller.get();
        return posts.get(id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public PostView update(@PathParam("id") UUID id, @Valid @NotNull PostInput input) {
        return posts.update(caller.get().id(), id, input);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        posts.delete(caller.get().id(), id);
        return Response.noContent().build();
    }
}
