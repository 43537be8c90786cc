package io.atelier.auth.user;

import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** Errors about accounts themselves, met by any feature that loads one. */
public final class UserProblems {

    public static final ProblemType EMAIL_TAKEN = ProblemType.of("email-taken", 409, "Email already registered");
    public static final ProblemType ACCOUNT_GONE = ProblemType.of("account-gone", 401, "Account no longer exists");

    private UserProblems() {
    }

    public static final class EmailTaken extends ProblemException {
        public EmailTaken() {
            super(EMAIL_TAKEN, "An account with this email already exists.");
        }
    }

    public static final class NoSuchAccount extends ProblemException {
        public NoSuchAccount() {
            super(ACCOUNT_GONE, "The account behind this token no longer exists.");
            withHeader("WWW-Authenticate", Challenges.INVALID_TOKEN);
        }
    }
}
