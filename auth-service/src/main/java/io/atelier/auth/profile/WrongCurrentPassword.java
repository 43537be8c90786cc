package io.atelier.auth.profile;

import java.util.List;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

final class WrongCurrentPassword extends ProblemException {

    WrongCurrentPassword() {
        super(ProblemType.VALIDATION, "The current password is incorrect.");
        withErrors(List.of(new Problem.FieldError("currentPassword", "is incorrect")));
    }
}
