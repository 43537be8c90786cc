package io.atelier.auth.session;

import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

final class SessionProblems {

    static final ProblemType INVALID_REFRESH_TOKEN = ProblemType.of("invalid-refresh-token", 401,
            "Invalid refresh token");

    private SessionProblems() {
    }

    static final class InvalidRefreshToken extends ProblemException {
        InvalidRefreshToken() {
            super(INVALID_REFRESH_TOKEN, "The refresh token is unknown, expired or revoked; sign in again.");
            withHeader("WWW-Authenticate", Challenges.INVALID_TOKEN);
        }
    }
}
