package io.atelier.platform.web;

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
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns every failure the HTTP layer can meet into an RFC 9457 problem: domain errors, validation,
 * unreadable JSON, unknown or repeated fields, wrong types, control characters, wrong media types,
 * missing or bad credentials. Anything unexpected becomes a 500 problem with no internals in it (and
 * a log line with the cause). The types are listed in docs/problems.md.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response domain(ProblemException e, HttpHeaders headers, UriInfo uri) {
        return start(e.type(), headers, uri).detail(e.getMessage()).errors(e.errors()).headers(e.headers()).build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return start(ProblemType.VALIDATION, headers, uri).detail("The request has invalid fields.").errors(errors)
                .build();
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
        if (e instanceof ForbiddenCharacterException text) {
            String field = jsonPath(text);
            return start(ProblemType.VALIDATION, headers, uri).detail("The request has invalid fields.")
                    .errors(List.of(new Problem.FieldError(field, ForbiddenCharacterException.MESSAGE))).build();
        }
        String detail;
        List<Problem.FieldError> errors = null;
        if (e instanceof UnrecognizedPropertyException unknown) {
            String name = ProblemResponse.bounded(unknown.getPropertyName());
            detail = "Unknown field '" + name + "'.";
            errors = List.of(new Problem.FieldError(name, "unknown field"));
        } else if (e instanceof MismatchedInputException mismatch) {
            String field = jsonPath(mismatch);
            detail = field.isEmpty() ? "The body does not have the expected shape." : "Field '" + field + "' has the wrong type.";
            if (!field.isEmpty()) {
                errors = List.of(new Problem.FieldError(field, "wrong type"));
            }
        } else if (e instanceof StreamReadException read && read.getOriginalMessage() != null
                && read.getOriginalMessage().startsWith("Duplicate field")) {
            detail = "A field appears more than once.";
        } else {
            detail = "The body is not valid JSON.";
        }
        return start(ProblemType.MALFORMED_BODY, headers, uri).detail(detail).errors(errors).build();
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
        boolean sentCredentials = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        String fallback = sentCredentials ? Challenges.INVALID_TOKEN : Challenges.BEARER;
        if (authenticator == null) {
            return Uni.createFrom().item(unauthorized(headers, uri, fallback));
        }
        return authenticator.getChallenge(context).map(challenge -> {
            if (challenge != null && challenge.status != 401) {
                Response.ResponseBuilder redirect = Response.status(challenge.status);
                challenge.getHeaders().forEach((name, value) -> redirect.header(name.toString(), value));
                return redirect.build();
            }
            // smallrye-jwt's own challenge is a bare "Bearer"; ours says which case it is (RFC 6750).
            return unauthorized(headers, uri, fallback);
        });
    }

    /** A sign-in flow (e.g. OIDC code flow) that reached the callback but could not finish: no retry. */
    @ServerExceptionMapper
    public Response incompleteSignIn(AuthenticationCompletionException e, HttpHeaders headers, UriInfo uri) {
        return start(ProblemType.http(401), headers, uri).detail("The sign-in could not be completed; start again.")
                .header(HttpHeaders.WWW_AUTHENTICATE, Challenges.BEARER).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers, UriInfo uri) {
        return start(ProblemType.http(403), headers, uri).detail("You may not do this.").build();
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
        ProblemResponse response = start(ProblemType.http(status), headers, uri).detail(httpDetail(status));
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
        return start(ProblemType.http(500), headers, uri).detail(httpDetail(500)).build();
    }

    private static Response unauthorized(HttpHeaders headers, UriInfo uri, String challenge) {
        return start(ProblemType.http(401), headers, uri).detail("A valid bearer token is required.")
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private static ProblemResponse start(ProblemType type, HttpHeaders headers, UriInfo uri) {
        return ProblemResponse.of(type).requestId(headers.getHeaderString(AtelierHeaders.REQUEST_ID))
                .instance(uri.getPath());
    }

    static String httpDetail(int status) {
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
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        });
        return ProblemResponse.bounded(path.toString());
    }

}
