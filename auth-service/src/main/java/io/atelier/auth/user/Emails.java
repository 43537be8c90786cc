package io.atelier.auth.user;

import java.util.Locale;

/** Emails are compared trimmed and lower-cased. */
public final class Emails {

    private Emails() {
    }

    public static String normalize(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
