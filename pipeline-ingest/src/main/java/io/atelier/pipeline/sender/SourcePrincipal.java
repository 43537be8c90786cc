package io.atelier.pipeline.sender;

import java.security.Principal;

/** The identity a valid write key authenticates: the source it was issued to. */
public record SourcePrincipal(String source) implements Principal {

    @Override
    public String getName() {
        return source;
    }
}
