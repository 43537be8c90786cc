package io.atelier.platform.security.socket;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.atelier.platform.security.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the caller of an upgrading handshake in the connection's user data, where
 * {@link SocketCallers} and {@link TokenExpiry} find it. The decision to let the handshake through was
 * the {@link HandshakeGuard}'s (and {@code @Authenticated}'s); this check never refuses.
 */
@ApplicationScoped
class CallerUpgradeCheck implements HttpUpgradeCheck {

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Uni<SecurityIdentity> identity = context.securityIdentity();
        if (identity == null) {
            return CheckResult.permitUpgrade();
        }
        return identity
                .onFailure().recoverWithNull() // outside the guarded paths a bad token is the endpoint's business
                .map(resolved -> {
                    if (resolved != null && resolved.getPrincipal() instanceof JsonWebToken token) {
                        try {
                            context.userData().put(SocketCallers.CALLER, Caller.of(token));
                        } catch (IllegalArgumentException notOurs) {
                            // not an Atelier token: the connection simply has no caller
                        }
                    }
                    return CheckResult.permitUpgradeSync();
                });
    }
}
