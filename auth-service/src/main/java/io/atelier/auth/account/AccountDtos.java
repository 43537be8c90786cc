package io.atelier.auth.account;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The records auth-service's account API reads and writes. */
public final class AccountDtos {

    private AccountDtos() {
    }

    /** Email is trimmed and lower-cased before it is validated or stored. */
    public record SignupRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 128) String password,
            @NotBlank @Size(max = 100) String displayName) {

        public SignupRequest {
            email = normalizeEmail(email);
            displayName = displayName == null ? null : displayName.strip();
        }
    }

    public record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotNull @Size(max = 128) String password) {

        public LoginRequest {
            email = normalizeEmail(email);
        }
    }

    public record UpdateProfileRequest(@NotBlank @Size(max = 100) String displayName) {

        public UpdateProfileRequest {
            displayName = displayName == null ? null : displayName.strip();
        }
    }

    public record ChangePasswordRequest(
            @NotNull @Size(max = 128) String currentPassword,
            @NotNull @Size(min = 8, max = 128) String newPassword) {
    }

    public record UserView(UUID id, String email, String displayName, Instant createdAt) {

        static UserView of(User user) {
            return new UserView(user.id, user.email, user.displayName, user.createdAt);
        }
    }

    public record TokenResponse(UserView user, String accessToken, String refreshToken, String tokenType,
            long expiresIn) {
    }

    static String normalizeEmail(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
