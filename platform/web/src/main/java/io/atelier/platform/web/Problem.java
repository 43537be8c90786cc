package io.atelier.platform.web;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code errors} lists field-level problems of a validation failure;
 * {@code requestId} echoes the gateway's X-Request-Id so a report can be traced in the logs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    public record FieldError(String field, String message) {
    }
}
