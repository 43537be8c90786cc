package io.atelier.platform.web;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * API answers carry tokens and personal data: no cache may keep them unless the resource says it
 * may (the JWKS, for one, sets its own max-age).
 */
public class NoStoreByDefault {

    @ServerResponseFilter
    public void noStore(ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, AtelierHeaders.NO_STORE);
        }
    }
}
