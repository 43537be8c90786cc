package io.atelier.jobs.job;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.store.JobStatus;
import io.atelier.platform.idempotency.IdempotencyKey;
import io.atelier.platform.idempotency.IdempotentCreates;
import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.InvalidParameter;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.QueryParams;
import io.quarkus.security.Authenticated;

/** Jobs over HTTP; each caller sees only their own. A malformed id in the path is a 404, like an unknown one. */
@Path("/api/v1/jobs")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class JobResource {

    private static final int MAX_TYPE_LENGTH = 100;

    private final JobService jobs;
    private final CurrentCaller caller;
    private final JobsConfig config;
    private final IdempotentCreates idempotent;

    JobResource(JobService jobs, CurrentCaller caller, JobsConfig config, IdempotentCreates idempotent) {
        this.jobs = jobs;
        this.caller = caller;
        this.config = config;
        this.idempotent = idempotent;
    }

    /**
     * 202 and {@code Location}: the job is stored and will run. With an {@code Idempotency-Key}, a retried
     * submit answers the first job again and makes no second one.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class)))
    public Response submit(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key, @Valid @NotNull JobInput input) {
        UUID me = caller.get().id();
        return idempotent.create("jobs.submit:" + me, IdempotencyKey.of(key), input, () -> {
            JobView job = jobs.submit(me, input);
            return Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.id())).build();
        });
    }

    /**
     * 202 {@code {items: [job]}}: up to 500 jobs in one request and one transaction, all or none (a 400 names
     * {@code jobs[i].field}). With an {@code Idempotency-Key}, a retried batch answers the first one again.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubmittedBatch.class)))
    public Response submitBatch(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key, @Valid @NotNull JobBatch batch) {
        UUID me = caller.get().id();
        return idempotent.create("jobs.submit-batch:" + me, IdempotencyKey.of(key), batch,
                () -> Response.accepted(new SubmittedBatch(jobs.submitAll(me, batch))).build());
    }

    /** The batch's jobs, in the order they were sent. */
    record SubmittedBatch(java.util.List<JobView> items) {
    }

    /** The same call as {@code POST /api/v1/jobs}, at the path clients of the original workspace API use. */
    @POST
    @Path("run")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class)))
    public Response run(@HeaderParam(AtelierHeaders.IDEMPOTENCY_KEY) String key, @Valid @NotNull JobInput input) {
        return submit(key, input);
    }

    /** {@code {items: [job], nextCursor}}: the caller's jobs, newest first. */
    @GET
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobPage.class)))
    public Page<JobView> list(@QueryParam("status") String status, @QueryParam("type") String type,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        UUID me = caller.get().id();
        PageCursor after = PageCursor.decode(cursor);
        int size = QueryParams.limit(limit, config.pages().defaultLimit(), config.pages().maxLimit());
        return jobs.list(me, status(status), type(type), after, size);
    }

    /** The list's shape, for the OpenAPI document. */
    record JobPage(List<JobView> items, String nextCursor) {
    }

    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") UUID id) {
        return jobs.get(caller.get().id(), id);
    }

    /** 200 with the CANCELLED job; 409 {@code job-not-cancellable} once it runs or has finished. */
    @POST
    @Path("{id}/cancel")
    public JobView cancel(@PathParam("id") UUID id) {
        return jobs.cancel(caller.get().id(), id);
    }

    /** 202 with the job QUEUED again; 409 {@code job-not-retryable} unless it is DEAD or FAILED. */
    @POST
    @Path("{id}/retry")
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobView.class)))
    public Response retry(@PathParam("id") UUID id) {
        return Response.accepted(jobs.retry(caller.get().id(), id)).build();
    }

    private static JobStatus status(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return JobStatus.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("status", "must be one of " + Arrays.toString(JobStatus.values()));
        }
    }

    private static String type(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (raw.length() > MAX_TYPE_LENGTH) {
            throw new InvalidParameter("type", "must be at most " + MAX_TYPE_LENGTH + " characters");
        }
        return raw;
    }
}
