package io.atelier.platform.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads a JSON request's body on the event loop, before the resource runs. Quarkus REST gives a blocking
 * resource method (every JDBC endpoint) a stream that the worker thread reads while the event loop
 * hands it each chunk under a lock; profiled on job-worker's submit, that hand-over was a fifth of the
 * service's CPU. With the body already in memory, Quarkus REST reads it from there instead.
 *
 * <p>Bounded by {@code quarkus.http.limits.max-body-size}, like the stream it replaces: a longer body
 * is a 413 problem and the connection is closed (a declared one is refused by Quarkus before this runs).
 */
@ApplicationScoped
public class BodyReadAhead {

    /** Right after Quarkus' own body-size check, before security and Quarkus REST. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;

    private final long maxBytes;

    BodyReadAhead(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void register(@Observes Router router) {
        Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(maxBytes).setMergeFormAttributes(false);
        router.route().order(ORDER).method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .handler(context -> {
                    HttpServerRequest request = context.request();
                    if (isJson(request.getHeader(HttpHeaders.CONTENT_TYPE)) && !request.isEnded()
                            && !"0".equals(request.getHeader(HttpHeaders.CONTENT_LENGTH))) {
                        body.handle(context);
                    } else {
                        // Forms and the rest are refused as before (415), never parsed here; an empty body has
                        // nothing to read (and Vert.x's body handler would wait for an end that already came).
                        context.next();
                    }
                }).failureHandler(this::tooLarge);
    }

    /** {@code application/json} or a {@code +json} type, with or without parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private void tooLarge(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().ended()) {
            context.next();
            return;
        }
        ProblemResponse.of(ProblemType.http(413)).detail("The request body is larger than " + maxBytes + " bytes.")
                .requestId(context.request().getHeader(AtelierHeaders.REQUEST_ID)).instance(context.normalizedPath())
                // The rest of the body may still be on its way: this connection is done.
                .header("Connection", "close").send(context.response());
    }
}
