package io.atelier.pipeline.sender;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.pipeline.config.PipelineConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a known write key into the identity of its source; an unknown key is a failed authentication (401). */
@ApplicationScoped
public class WriteKeyIdentityProvider implements IdentityProvider<WriteKeyRequest> {

    /** The role every write-key identity has. */
    public static final String SOURCE_ROLE = "event-source";

    private final WriteKeys keys;

    WriteKeyIdentityProvider(PipelineConfig config) {
        Map<String, String> digests = new LinkedHashMap<>();
        config.writeKeys().forEach((source, key) -> digests.put(source, key.sha256()));
        this.keys = new WriteKeys(digests);
    }

    @Override
    public Class<WriteKeyRequest> getRequestType() {
        return WriteKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(WriteKeyRequest request, AuthenticationRequestContext context) {
        // One SHA-256 per configured key: microseconds, fine on the event loop.
        return keys.sourceOf(request.key())
                .<Uni<SecurityIdentity>>map(source -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new SourcePrincipal(source)).addRole(SOURCE_ROLE).build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("unknown write key")));
    }
}
