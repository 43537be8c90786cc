package io.atelier.platform.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Header rules decided before a resource is matched, so that a request is refused before it has any
 * effect: a body needs a {@code Content-Type} (else 415, rather than being read as JSON by guess).
 * An empty {@code Accept} is dropped earlier, by {@link RequestIds}' filter.
 */
public class RequestHygiene {

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        if (hasBody(request) && request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            return ProblemResponse.of(ProblemType.http(415))
                    .detail("A request body needs a Content-Type; send application/json.")
                    .requestId(request.getHeaderString(AtelierHeaders.REQUEST_ID))
                    .instance(request.getUriInfo().getPath()).build();
        }
        return null;
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.strip().equals("0");
        }
        return request.getHeaderString("Transfer-Encoding") != null;
    }
}
