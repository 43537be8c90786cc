package io.atelier.auth.profile;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.atelier.platform.web.SingleLine;

/** The bodies {@code /me} accepts. */
public final class ProfileRequests {

    private ProfileRequests() {
    }

    public record UpdateProfile(@NotBlank @Size(max = 100) @SingleLine String displayName) {

        public UpdateProfile {
            displayName = displayName == null ? null : displayName.strip();
        }
    }

    public record ChangePassword(@NotNull @Size(max = 128) String currentPassword,
            @NotNull @Size(min = 8, max = 128) String newPassword) {
    }
}
