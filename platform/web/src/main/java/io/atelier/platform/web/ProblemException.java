package io.atelier.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A domain failure the client caused or may act on; the mapper turns it into a problem response.
 * Services subclass it with named errors (e.g. {@code EmailTakenException}) rather than throwing it raw.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final URI type;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, Problem.ABOUT_BLANK, null, Map.of());
    }

    public ProblemException(int status, String title, String detail, URI type, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false); // expected outcome: no stack trace to fill or log
        this.status = status;
        this.title = title;
        this.type = type;
        this.errors = errors;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Extra response headers, e.g. {@code Retry-After} or {@code WWW-Authenticate}. */
    public Map<String, String> headers() {
        return headers;
    }
}
