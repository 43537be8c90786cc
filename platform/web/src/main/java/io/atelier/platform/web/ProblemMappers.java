package io.atelier.platform.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns every failure the HTTP layer can meet into an RFC 9457 problem: domain errors, validation,
 * unreadable JSON, unknown fields, wrong media types, missing or bad credentials. Anything
 * unexpected becomes a 500 problem with no internals in it (and a log line with the cause).
 */
public class ProblemMappers {

    static final String REQUEST_ID = "X-Request-Id";

    @ServerExceptionMapper
    public Response domain(ProblemException e, HttpHeaders headers, UriInfo uri) {
        Response.ResponseBuilder response = problem(e.status(), e.title(), e.getMessage(), e.type(), e.errors(),
                headers, uri);
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return problem(400, "Invalid request", "The request has invalid fields.", Problem.ABOUT_BLANK, errors,
                headers, uri).build();
    }

    // Quarkus REST ships mappers for these Jackson types; naming them exactly makes ours win.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, HttpHeaders headers, UriInfo uri) {
        return unreadableJson(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e, HttpHeaders headers, UriInfo uri) {
        return unreadableJson(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e, HttpHeaders headers, UriInfo uri) {
        return unreadableJson(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpHeaders headers, UriInfo uri) {
        String detail;
        List<Problem.FieldError> errors = null;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "Unknown field '" + unknown.getPropertyName() + "'.";
            errors = List.of(new Problem.FieldError(unknown.getPropertyName(), "unknown field"));
        } else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = jsonPath((MismatchedInputException) e);
            detail = field.isEmpty() ? "The body does not have the expected shape." : "Field '" + field + "' has the wrong type.";
            if (!field.isEmpty()) {
                errors = List.of(new Problem.FieldError(field, "wrong type"));
            }
        } else {
            detail = "The body is not valid JSON.";
        }
        return problem(400, "Malformed request body", detail, Problem.ABOUT_BLANK, errors, headers, uri).build();
    }

    @ServerExceptionMapper
    public Uni<Response> unauthenticated(AuthenticationFailedException e, RoutingContext context, HttpHeaders headers,
            UriInfo uri) {
        return challenge(context, headers, uri);
    }

    @ServerExceptionMapper
    public Uni<Response> unauthenticated(UnauthorizedException e, RoutingContext context, HttpHeaders headers,
            UriInfo uri) {
        return challenge(context, headers, uri);
    }

    /**
     * Each authentication mechanism keeps its own challenge: a redirect (the OIDC code flow) is sent
     * as it is; a 401 gets a problem body with the mechanism's WWW-Authenticate header.
     */
    private static Uni<Response> challenge(RoutingContext context, HttpHeaders headers, UriInfo uri) {
        HttpAuthenticator authenticator = context == null ? null : context.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(unauthorized(headers, uri, "Bearer"));
        }
        return authenticator.getChallenge(context).map(challenge -> {
            if (challenge != null && challenge.status != 401) {
                Response.ResponseBuilder redirect = Response.status(challenge.status);
                challenge.getHeaders().forEach((name, value) -> redirect.header(name.toString(), value));
                return redirect.build();
            }
            String scheme = challenge == null ? null : challenge.getHeaders().entrySet().stream()
                    .filter(h -> HttpHeaders.WWW_AUTHENTICATE.equalsIgnoreCase(h.getKey().toString()))
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
            return unauthorized(headers, uri, scheme == null ? "Bearer" : scheme);
        });
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers, UriInfo uri) {
        return problem(403, "Forbidden", "You may not do this.", Problem.ABOUT_BLANK, null, headers, uri).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, headers, uri); // a body Jackson could not parse, wrapped as a 400
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            Log.errorf(e, "request to %s failed", uri.getPath());
        }
        Response.ResponseBuilder response = problem(status, original.getStatusInfo().getReasonPhrase(),
                httpDetail(status), Problem.ABOUT_BLANK, null, headers, uri);
        for (String name : List.of(HttpHeaders.ALLOW, HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER)) {
            if (original.getHeaderString(name) != null) {
                response.header(name, original.getHeaderString(name));
            }
        }
        return response.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpHeaders headers, UriInfo uri) {
        Log.errorf(e, "unexpected failure handling %s", uri.getPath());
        return problem(500, "Internal Server Error", "Something went wrong on our side; it has been logged.",
                Problem.ABOUT_BLANK, null, headers, uri).build();
    }

    private static Response unauthorized(HttpHeaders headers, UriInfo uri, String wwwAuthenticate) {
        return problem(401, "Unauthorized", "A valid bearer token is required.", Problem.ABOUT_BLANK, null, headers, uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, wwwAuthenticate)
                .build();
    }

    private static Response.ResponseBuilder problem(int status, String title, String detail, URI type,
            List<Problem.FieldError> errors, HttpHeaders headers, UriInfo uri) {
        return problem(status, title, detail, type, errors, headers.getHeaderString(REQUEST_ID), uri.getPath());
    }

    /** A problem response; {@code requestId} and {@code path} may be null. */
    public static Response.ResponseBuilder problem(int status, String title, String detail, URI type,
            List<Problem.FieldError> errors, String requestId, String path) {
        Problem body = new Problem(type, title, status, detail, path, requestId,
                errors == null || errors.isEmpty() ? null : errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
    }

    private static String httpDetail(int status) {
        return switch (status) {
            case 404 -> "Nothing here, or nothing you may see.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "This resource cannot produce the requested media type.";
            case 413 -> "The request body is too large.";
            case 415 -> "This media type is not supported here; send application/json.";
            default -> status >= 500 ? "Something went wrong on our side; it has been logged." : "The request was not accepted.";
        };
    }

    /** The field a constraint violation is about: the last node of its path ({@code signup.request.email} -> {@code email}). */
    private static String field(ConstraintViolation<?> violation) {
        String name = "";
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName() == null ? name : node.getName();
        }
        return name;
    }

    private static String jsonPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        });
        return path.toString();
    }
}
