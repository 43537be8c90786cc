package io.atelier.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A domain failure the client caused or may act on; the mapper turns it into a problem response.
 * Services subclass it with named errors ({@code EmailTaken}, {@code InvalidCredentials}) rather than
 * throwing it raw, each with its {@link ProblemType}.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private List<Problem.FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false); // expected outcome: no stack trace to fill or log
        this.type = type;
    }

    /** Field-level errors of a validation failure. */
    protected ProblemException withErrors(List<Problem.FieldError> fieldErrors) {
        this.errors = List.copyOf(fieldErrors);
        return this;
    }

    /** An extra response header, e.g. {@code Retry-After} or {@code WWW-Authenticate}. */
    protected ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
