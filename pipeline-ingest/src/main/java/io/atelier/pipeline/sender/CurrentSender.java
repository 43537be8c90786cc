package io.atelier.pipeline.sender;

import jakarta.enterprise.context.RequestScoped;

import io.atelier.platform.security.CurrentCaller;
import io.quarkus.security.identity.SecurityIdentity;

/** The sender of the current request: a write key's source, else the bearer token's user (else a 401). */
@RequestScoped
public class CurrentSender {

    private final SecurityIdentity identity;
    private final CurrentCaller caller;

    CurrentSender(SecurityIdentity identity, CurrentCaller caller) {
        this.identity = identity;
        this.caller = caller;
    }

    public Sender get() {
        if (identity.getPrincipal() instanceof SourcePrincipal source) {
            return new Sender.Source(source.source());
        }
        return new Sender.User(caller.get().id());
    }
}
