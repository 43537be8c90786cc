package io.atelier.platform.web;

import java.util.List;

/** A query or path parameter that breaks its rule: a 400 {@code validation} problem naming it. */
public class InvalidParameter extends ProblemException {

    public InvalidParameter(String parameter, String message) {
        super(ProblemType.VALIDATION, "Parameter '" + parameter + "' " + message + ".");
        withErrors(List.of(new Problem.FieldError(parameter, message)));
    }
}
