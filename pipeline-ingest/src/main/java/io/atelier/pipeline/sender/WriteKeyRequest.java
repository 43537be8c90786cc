package io.atelier.pipeline.sender;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A write key from {@code Authorization: Basic}, to be checked by {@link WriteKeyIdentityProvider}. */
public class WriteKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public WriteKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
