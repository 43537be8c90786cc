package io.atelier.pipeline.intake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.pipeline.schema.CheckedEvent;
import io.atelier.pipeline.sender.CurrentSender;
import io.atelier.pipeline.sender.Sender;
import io.atelier.platform.web.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;

/**
 * Event intake over HTTP, for a signed-in user (bearer token) or a source (write key as Basic user name). An
 * event is answered as accepted only once the broker has it; docs/pipeline.md has the schema and the limits.
 * Requests wait for the broker on virtual threads, so a slow broker ties up no worker pool.
 */
@Path("/api/v1/events")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class EventResource {

    private final IntakeService intake;
    private final CurrentSender sender;
    private final PipelineConfig config;
    private final ObjectMapper mapper;
    private final Timer single;
    private final Timer batch;

    EventResource(IntakeService intake, CurrentSender sender, PipelineConfig config, ObjectMapper mapper,
            MeterRegistry metrics) {
        this.intake = intake;
        this.sender = sender;
        this.config = config;
        this.mapper = mapper;
        this.single = Timer.builder("atelier.pipeline.intake").description("One intake request, read to answer")
                .tag("endpoint", "single").register(metrics);
        this.batch = Timer.builder("atelier.pipeline.intake").description("One intake request, read to answer")
                .tag("endpoint", "batch").register(metrics);
    }

    /**
     * 202 once the event is on {@code events.raw}, also for a duplicate (an event with this id was accepted within
     * 24 h; {@code duplicate: true}, not written again). 400 naming each wrong field, 413 over the size limit,
     * 403 for another user's {@code user_id}, 429 over the rate limit, 503 when the broker did not take it.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(summary = "Send one event")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventDocument.class)))
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventAccepted.class)))
    public Response send(byte[] body) throws IOException {
        Timer.Sample started = Timer.start();
        try {
            Sender from = sender.get();
            JsonNode event = parse(body);
            IntakeService.Outcome outcome = intake.intake(from, List.of(event));
            CheckedEvent checked = outcome.checked().get(0);
            if (checked.tooLarge()) {
                throw new IntakeProblems.EventTooLarge(config.limits().maxEventBytes());
            }
            if (!checked.valid()) {
                throw new IntakeProblems.InvalidEvent(checked.errors());
            }
            return Response.accepted(new EventAccepted(checked.eventId(), !outcome.duplicates().isEmpty())).build();
        } finally {
            started.stop(single);
        }
    }

    /**
     * 200 with what became of each event: valid events are accepted even when others of the batch are not. 413 for
     * more than 500 events or more than 1 MiB, 403 when any event names another user, 429, 503 as for one event.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(summary = "Send a batch of events")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventBatch.class)))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BatchResult.class)))
    public BatchResult sendBatch(byte[] body) throws IOException {
        Timer.Sample started = Timer.start();
        try {
            Sender from = sender.get();
            if (body.length > config.limits().maxBatchBytes()) {
                throw new IntakeProblems.BatchTooLarge(config.limits().maxBatchBytes());
            }
            List<JsonNode> events = events(parse(body));
            IntakeService.Outcome outcome = intake.intake(from, events);
            return new BatchResult(outcome.accepted().size(), outcome.duplicates().size(), outcome.rejected());
        } finally {
            started.stop(batch);
        }
    }

    /** Strict JSON (platform/web): malformed JSON, a repeated field or trailing content is a 400 problem. */
    private JsonNode parse(byte[] body) throws IOException {
        JsonNode node = body.length == 0 ? null : mapper.readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new IntakeProblems.MalformedBatch("", "must be a JSON body");
        }
        return node;
    }

    private List<JsonNode> events(JsonNode body) {
        if (!body.isObject()) {
            throw new IntakeProblems.MalformedBatch("", "must be an object {\"events\": [...]}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("events")) {
                throw new IntakeProblems.MalformedBatch(name, "is not a field of a batch");
            }
        }
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw new IntakeProblems.MalformedBatch("events", "must be an array of events");
        }
        if (events.isEmpty()) {
            throw new IntakeProblems.MalformedBatch("events", "must hold at least one event");
        }
        if (events.size() > config.limits().maxBatchEvents()) {
            throw new IntakeProblems.TooManyEvents(events.size(), config.limits().maxBatchEvents());
        }
        List<JsonNode> list = new ArrayList<>(events.size());
        events.forEach(list::add);
        return list;
    }
}
