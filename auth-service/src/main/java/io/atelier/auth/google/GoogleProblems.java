package io.atelier.auth.google;

import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

final class GoogleProblems {

    static final ProblemType NOT_CONFIGURED = ProblemType.of("google-not-configured", 503,
            "Google sign-in is not configured");
    static final ProblemType EMAIL_NOT_VERIFIED = ProblemType.of("email-not-verified", 403, "Email not verified");
    static final ProblemType INVALID_ID_TOKEN = ProblemType.of("invalid-id-token", 401, "Invalid ID token");
    static final ProblemType IDENTITY_CONFLICT = ProblemType.of("google-identity-conflict", 409,
            "Account linked to another Google identity");

    private GoogleProblems() {
    }

    static final class EmailNotVerified extends ProblemException {
        EmailNotVerified() {
            super(EMAIL_NOT_VERIFIED, "Google has not verified this account's email address.");
        }
    }

    static final class InvalidIdToken extends ProblemException {
        InvalidIdToken() {
            super(INVALID_ID_TOKEN, "The Google ID token is not valid for this application.");
            withHeader("WWW-Authenticate", Challenges.INVALID_TOKEN);
        }
    }

    static final class IdentityConflict extends ProblemException {
        IdentityConflict() {
            super(IDENTITY_CONFLICT, "The Atelier account with this email is linked to a different Google account.");
        }
    }
}
