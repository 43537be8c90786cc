package io.atelier.content.collection;

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

import io.atelier.content.config.ContentConfig;
import io.atelier.content.post.PostView;
import io.atelier.platform.idempotency.IdempotencyKey;
import io.atelier.platform.idempotency.IdempotentCreates;
import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.QueryParams;
import io.quarkus.security.Authenticated;

/** The caller's own collections over HTTP; anyone else's answer 404. */
@Path("/api/v1/collections")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class CollectionResource {

    private final CollectionService collections;
    private final CurrentCaller caller;
    private final ContentConfig config;
    private final IdempotentCreates idempotent;

    CollectionResource(CollectionService collections, CurrentCaller caller, ContentConfig config,
            IdempotentCreates idempotent) {
        this.collections = collections;
        this.caller = caller;
        this.config = config;
        this.idempotent = idempotent;
    }

    @GET
    public Page<CollectionView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return collections.list(caller.get().id(), PageCursor.decode(cursor), limit(limit));
    }

    /** With an {@code Idempotency-Key}, a retried create answers the first collection again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key,
            @Valid @NotNull CollectionInput input) {
        UUID me = caller.get().id();
        return idempotent.create("collections.create:" + me, IdempotencyKey.of(key), input, () -> {
            CollectionView collection = collections.create(me, input);
            return Response.created(URI.create("/api/v1/collections/" + collection.id())).entity(collection).build();
        });
    }

    @GET
    @Path("{id}")
    public CollectionView get(@PathParam("id") UUID id) {
        return collections.get(caller.get().id(), id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CollectionView update(@PathParam("id") UUID id, @Valid @NotNull CollectionInput input) {
        return collections.update(caller.get().id(), id, input);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        collections.delete(caller.get().id(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/posts")
    public Page<PostView> posts(@PathParam("id") UUID id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return collections.posts(caller.get().id(), id, PageCursor.decode(cursor), limit(limit));
    }

    /** 201 with the membership the first time; 200 with the same membership when the post was there already. */
    @POST
    @Path("{id}/posts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addPost(@PathParam("id") UUID id, @Valid @NotNull AddPostInput input) {
        CollectionService.Added added = collections.addPost(caller.get().id(), id, input.postId());
        if (!added.created()) {
            return Response.ok(added.membership()).build();
        }
        return Response.created(URI.create("/api/v1/collections/" + id + "/posts/" + input.postId()))
                .entity(added.membership()).build();
    }

    @DELETE
    @Path("{id}/posts/{postId}")
    public Response removePost(@PathParam("id") UUID id, @PathParam("postId") UUID postId) {
        collections.removePost(caller.get().id(), id, postId);
        return Response.noContent().build();
    }

    private int limit(String raw) {
        return QueryParams.limit(raw, config.pages().defaultLimit(), config.pages().maxLimit());
    }
}
