package io.atelier.auth.session;

import io.atelier.auth.user.UserView;

/** What every sign-in (sign-up, login, Google, refresh) answers. */
public record TokenResponse(UserView user, String accessToken, String refreshToken, String tokenType, long expiresIn) {
}
