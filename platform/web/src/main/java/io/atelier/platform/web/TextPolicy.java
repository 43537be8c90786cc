package io.atelier.platform.web;

/**
 * Which characters any text a service accepts may hold, decided once for the suite: no C0 control
 * character except tab, line feed and carriage return, no DEL, and no lone UTF-16 surrogate. NUL in
 * particular cannot be stored by PostgreSQL, and the others only ever arrive by mistake or attack.
 */
public final class TextPolicy {

    private TextPolicy() {
    }

    public static boolean acceptable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** For one-line values (names, emails, titles): {@link #acceptable} and no line breaks or tabs. */
    public static boolean singleLine(CharSequence text) {
        if (!acceptable(text)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }
}
