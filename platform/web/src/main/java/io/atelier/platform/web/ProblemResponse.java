package io.atelier.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/**
 * Builds the one shape of error response: {@code application/problem+json}, the type's status and
 * title, a detail for the human, the request id and path. Anything that echoes client input (a field
 * name, a path) is cut to {@value #MAX_ECHO} characters; Jackson escapes it.
 */
public final class ProblemResponse {

    static final int MAX_ECHO = 120;

    private final ProblemType type;
    private String detail;
    private List<Problem.FieldError> errors;
    private String requestId;
    private String instance;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ProblemResponse(ProblemType type) {
        this.type = type;
    }

    public static ProblemResponse of(ProblemType type) {
        return new ProblemResponse(type);
    }

    public ProblemResponse detail(String text) {
        this.detail = text;
        return this;
    }

    public ProblemResponse errors(List<Problem.FieldError> fieldErrors) {
        this.errors = fieldErrors == null || fieldErrors.isEmpty() ? null
                : fieldErrors.stream().map(e -> new Problem.FieldError(bounded(e.field()), e.message())).toList();
        return this;
    }

    public ProblemResponse requestId(String id) {
        this.requestId = id;
        return this;
    }

    /** The request path the problem occurred at (RFC 9457 {@code instance}). */
    public ProblemResponse instance(String path) {
        this.instance = bounded(path);
        return this;
    }

    public ProblemResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ProblemResponse headers(Map<String, String> more) {
        headers.putAll(more);
        return this;
    }

    public Problem body() {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId, errors);
    }

    public Response build() {
        Response.ResponseBuilder response = Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body());
        headers.forEach(response::header);
        return response.build();
    }

    /** Answers with this problem straight on Vert.x, for refusals made before Quarkus REST sees the request. */
    public void send(HttpServerResponse response) {
        response.setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        headers.forEach(response::putHeader);
        response.end(Json.encode(body()));
    }

    /** Client input echoed in a problem, cut so that a problem body stays small whatever was sent. */
    public static String bounded(String echoed) {
        if (echoed == null || echoed.length() <= MAX_ECHO) {
            return echoed;
        }
        return echoed.substring(0, MAX_ECHO) + "…";
    }
}
