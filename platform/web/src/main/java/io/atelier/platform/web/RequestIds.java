package io.atelier.platform.web;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * Gives every request an id and puts it in the log context ({@value #MDC_KEY}), so every line the
 * request causes, on any thread, carries it; the outbox copies it into the events the request emits.
 * The gateway's id is kept when it is sane (the same rule as deploy/gateway), otherwise one is made.
 * This Vert.x filter runs before Quarkus REST sees the request, so it also drops an empty {@code Accept}.
 */
@ApplicationScoped
public class RequestIds {

    /** The MDC key, also read by platform/outbox when it stores an event. */
    public static final String MDC_KEY = "requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String id = context.request().getHeader(AtelierHeaders.REQUEST_ID);
            if (id == null || !SANE.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
                context.request().headers().set(AtelierHeaders.REQUEST_ID, id);
            }
            // Quarkus keeps the MDC in the request's Vert.x context, so it follows the request to worker threads.
            MDC.put(MDC_KEY, id);
            context.response().putHeader(AtelierHeaders.REQUEST_ID, id);
            // An empty Accept means "anything" (as if absent); left in, content negotiation fails
            // only after the resource method has done its work.
            String accept = context.request().getHeader(HttpHeaders.ACCEPT);
            if (accept != null && accept.isBlank()) {
                context.request().headers().remove(HttpHeaders.ACCEPT);
            }
            context.next();
        }, 10_000);
    }
}
