package io.atelier.auth.signup;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.atelier.auth.user.Emails;
import io.atelier.platform.web.SingleLine;

/** Email is trimmed and lower-cased before it is validated or stored. */
public record SignupRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @NotNull @Size(min = 8, max = 128) String password,
        @NotBlank @Size(max = 100) @SingleLine String displayName) {

    public SignupRequest {
        email = Emails.normalize(email);
        displayName = displayName == null ? null : displayName.strip();
    }
}
