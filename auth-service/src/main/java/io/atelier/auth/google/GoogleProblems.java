package io.atelier.auth.google;

import java.util.List;
import java.util.Map;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;

final class GoogleProblems {

    private GoogleProblems() {
    }

    static final class EmailNotVerified extends ProblemException {
        EmailNotVerified() {
            super(403, "Email not verified", "Google has not verified this account's email address.");
        }
    }

    static final class RedirectNotAllowed extends ProblemException {
        RedirectNotAllowed() {
            super(400, "Invalid request", "This redirect_uri is not allowed.", Problem.ABOUT_BLANK,
                    List.of(new Problem.FieldError("redirect_uri", "not in the allow-list")), Map.of());
        }
    }

    static final class InvalidIdToken extends ProblemException {
        InvalidIdToken() {
            super(401, "Invalid ID token", "The Google ID token is not valid for this application.",
                    Problem.ABOUT_BLANK, null, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        }
    }
}
