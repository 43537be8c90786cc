package io.atelier.platform.users;

import java.util.Locale;

/** auth-service's rule, repeated here rather than depended on: emails are compared trimmed and lower-cased. */
final class Emails {

    private Emails() {
    }

    static String normalize(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
