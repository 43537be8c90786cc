package io.atelier.platform.web;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/**
 * A kind of error: its stable {@code type} URI, its status and its title. RFC 9457 wants the title to
 * be the same for every occurrence of a type (the occurrence goes in {@code detail}), so the title
 * lives here, not at the throw site. Every type is listed in docs/problems.md.
 *
 * <p>Types that add nothing to the status code are {@code about:blank} with the status phrase as title
 * ({@link #http(int)}); a type URI is minted only where a client may act on the kind itself. Minted
 * URIs are tag URIs (RFC 4151): stable identifiers that nobody expects to dereference.
 */
public record ProblemType(URI uri, int status, String title) {

    /** Prefix of every type Atelier mints; the slug after it is the stable part a client may match on. */
    public static final String TAG = "tag:atelier.dev,2026:problem:";

    public static final ProblemType VALIDATION = of("validation", 400, "Invalid request");
    public static final ProblemType MALFORMED_BODY = of("malformed-body", 400, "Malformed request body");
    public static final ProblemType RATE_LIMITED = of("rate-limited", 429, "Too many requests");
    public static final ProblemType BUSY = of("busy", 503, "Busy");

    public ProblemType {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem is a 4xx or 5xx, not " + status);
        }
    }

    /** A type of Atelier's own, e.g. {@code of("email-taken", 409, "Email already registered")}. */
    public static ProblemType of(String slug, int status, String title) {
        if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a problem slug is lower-case words joined by '-': " + slug);
        }
        return new ProblemType(URI.create(TAG + slug), status, title);
    }

    /** The plain HTTP status: {@code about:blank}, the status phrase as title. */
    public static ProblemType http(int status) {
        return new ProblemType(Problem.ABOUT_BLANK, status, reasonPhrase(status));
    }

    static String reasonPhrase(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 431 -> "Request Header Fields Too Large";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
