package io.atelier.auth.login;

import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** Unknown email and wrong password are the same error on purpose. */
public final class InvalidCredentials extends ProblemException {

    static final ProblemType TYPE = ProblemType.of("invalid-credentials", 401, "Invalid credentials");

    InvalidCredentials() {
        super(TYPE, "Email or password is incorrect.");
        withHeader("WWW-Authenticate", Challenges.BEARER);
    }
}
