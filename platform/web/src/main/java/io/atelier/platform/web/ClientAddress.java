package io.atelier.platform.web;

import jakarta.enterprise.context.RequestScoped;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the client behind a request, for per-address limits. Behind the gateway Quarkus takes
 * it from {@code X-Forwarded-For}, which it trusts only from {@code quarkus.http.proxy.trusted-proxies}
 * and which the gateway overwrites with the address it saw (docs/architecture.md, "Gateway").
 */
@RequestScoped
public class ClientAddress {

    private final HttpServerRequest request;

    ClientAddress(HttpServerRequest request) {
        this.request = request;
    }

    public String ip() {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
