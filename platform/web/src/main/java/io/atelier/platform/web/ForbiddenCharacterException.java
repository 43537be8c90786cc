package io.atelier.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** A JSON string broke the {@link TextPolicy}; mapped to a 400 naming the field. */
public class ForbiddenCharacterException extends MismatchedInputException {

    static final String MESSAGE = "must not contain control characters";

    ForbiddenCharacterException(JsonParser parser) {
        super(parser, "text " + MESSAGE, String.class);
    }
}
