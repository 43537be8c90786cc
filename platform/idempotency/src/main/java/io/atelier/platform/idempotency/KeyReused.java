package io.atelier.platform.idempotency;

import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** The key was used for a different request: the client has a bug; replaying either answer would be wrong. */
public final class KeyReused extends ProblemException {

    public static final ProblemType TYPE = ProblemType.of("idempotency-key-reused", 422,
            "Idempotency key used for another request");

    KeyReused() {
        super(TYPE, "This Idempotency-Key was used with a different request; use a new key for a new request.");
    }
}
