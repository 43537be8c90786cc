package io.atelier.platform.web;

/** The {@code WWW-Authenticate} values (RFC 6750) a 401 carries; built here and nowhere else. */
public final class Challenges {

    /** No credentials were sent: the scheme alone, no error code (RFC 6750 §3.1). */
    public static final String BEARER = "Bearer realm=\"atelier\"";
    /** Credentials were sent and refused: expired, malformed, forged, revoked or unknown. */
    public static final String INVALID_TOKEN = "Bearer realm=\"atelier\", error=\"invalid_token\"";

    private Challenges() {
    }
}
