package io.atelier.platform.web;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;

/**
 * The clock every rule with a time in it reads (expiry, grace windows, limits). Application-scoped
 * so a test can swap it ({@code QuarkusMock.installMockForType(movableClock, Clock.class)}) and move
 * time instead of waiting; a default bean, so a service or test app may produce its own.
 */
public class SystemClock {

    @Produces
    @ApplicationScoped
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
