package io.atelier.auth.account;

import java.util.List;
import java.util.Map;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;

/** The account errors a client can meet. Unknown email and wrong password are the same error on purpose. */
public final class AccountProblems {

    private AccountProblems() {
    }

    public static final class EmailTaken extends ProblemException {
        public EmailTaken() {
            super(409, "Email already registered", "An account with this email already exists.");
        }
    }

    public static final class InvalidCredentials extends ProblemException {
        public InvalidCredentials() {
            super(401, "Invalid credentials", "Email or password is incorrect.", Problem.ABOUT_BLANK, null,
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    public static final class WrongCurrentPassword extends ProblemException {
        public WrongCurrentPassword() {
            super(400, "Invalid request", "The current password is incorrect.", Problem.ABOUT_BLANK,
                    List.of(new Problem.FieldError("currentPassword", "is incorrect")), Map.of());
        }
    }

    public static final class NoSuchAccount extends ProblemException {
        public NoSuchAccount() {
            super(401, "Unauthorized", "The account behind this token no longer exists.", Problem.ABOUT_BLANK, null,
                    Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        }
    }
}
