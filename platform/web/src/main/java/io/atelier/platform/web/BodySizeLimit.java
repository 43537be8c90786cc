package io.atelier.platform.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rejects a declared body larger than {@code atelier.http.max-json-body} with a 413 problem, before it
 * is read. (Undeclared, chunked bodies are still bounded by {@code quarkus.http.limits.max-body-size}.)
 */
public class BodySizeLimit {

    private final long maxBytes;

    BodySizeLimit(@ConfigProperty(name = "atelier.http.max-json-body", defaultValue = "16384") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return a 413 problem to answer with, or null to go on */
    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || parse(length) <= maxBytes) {
            return null;
        }
        return ProblemResponse.of(ProblemType.http(413)).detail("The request body is larger than " + maxBytes + " bytes.")
                .requestId(request.getHeaderString(AtelierHeaders.REQUEST_ID)).instance(request.getUriInfo().getPath())
                .build();
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
