package io.atelier.pipeline.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemResponse;
import io.atelier.platform.web.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * A declared body over {@code atelier.http.max-json-body} gets platform/web's 413 problem (the one its
 * {@code BodySizeLimit} answers) also when it is over Quarkus' HTTP limit, which would otherwise answer first,
 * with an empty 413, before any JAX-RS filter runs. A Vert.x filter after {@code RequestIds} (priority 10 000)
 * and ahead of Quarkus' body-size check; nothing of the body is read.
 */
@ApplicationScoped
public class DeclaredBodyLimit {

    private final long maxBytes;
    private final ObjectMapper mapper;

    DeclaredBodyLimit(@ConfigProperty(name = "atelier.http.max-json-body", defaultValue = "16384") long maxBytes,
            ObjectMapper mapper) {
        this.maxBytes = maxBytes;
        this.mapper = mapper;
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null || parse(length) <= maxBytes) {
                context.next();
                return;
            }
            Problem problem = ProblemResponse.of(ProblemType.http(413))
                    .detail("The request body is larger than " + maxBytes + " bytes.")
                    .requestId(context.request().getHeader(AtelierHeaders.REQUEST_ID))
                    .instance(context.request().path()).body();
            String json;
            try {
                json = mapper.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            // The body is not read: close the connection after the answer rather than drain it.
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").putHeader(HttpHeaders.CACHE_CONTROL, AtelierHeaders.NO_STORE)
                    .end(json);
        }, 9_000);
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
