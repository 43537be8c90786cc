package io.atelier.platform.security.socket;

import io.quarkus.websockets.next.CloseReason;

/**
 * The close codes of Atelier's WebSockets (docs/architecture.md, "WebSocket messages") and the close
 * reasons that go with them, each with the readable text a client is shown:
 * {@code return connection.close(CloseCodes.notAllowed());}
 */
public final class CloseCodes {

    /** The access token is missing, invalid or expired: get a fresh one and reconnect. */
    public static final int UNAUTHENTICATED = 4401;
    /** The handshake asked for something malformed (e.g. a bad query parameter); retrying it unchanged is pointless. */
    public static final int BAD_REQUEST = 4400;
    /** The caller may not use this socket (e.g. not a member of the project). */
    public static final int NOT_ALLOWED = 4403;
    /** The client reads too slowly or sends too many messages. */
    public static final int TOO_SLOW = 4408;
    /** A frame or message over the size limit (RFC 6455's own code). */
    public static final int TOO_BIG = 1009;

    private static final CloseReason TOKEN_MISSING = new CloseReason(UNAUTHENTICATED, "token missing");
    private static final CloseReason TOKEN_INVALID = new CloseReason(UNAUTHENTICATED, "token invalid");
    private static final CloseReason TOKEN_EXPIRED = new CloseReason(UNAUTHENTICATED, "token expired");
    private static final CloseReason NOT_ALLOWED_REASON = new CloseReason(NOT_ALLOWED, "not allowed");
    private static final CloseReason TOO_MANY_MESSAGES = new CloseReason(TOO_SLOW, "too many messages");
    private static final CloseReason TOO_SLOW_REASON = new CloseReason(TOO_SLOW, "too slow");
    private static final CloseReason TOO_BIG_REASON = new CloseReason(TOO_BIG, "frame too big");

    private CloseCodes() {
    }

    public static CloseReason tokenMissing() {
        return TOKEN_MISSING;
    }

    public static CloseReason tokenInvalid() {
        return TOKEN_INVALID;
    }

    public static CloseReason tokenExpired() {
        return TOKEN_EXPIRED;
    }

    /**
     * 4400 with a reason naming what was wrong, e.g. {@code "since: not a notification id"}. A close
     * reason is at most 123 bytes of UTF-8; a longer one is cut.
     */
    public static CloseReason badRequest(String reason) {
        return new CloseReason(BAD_REQUEST, fit(reason));
    }

    /** 4403 "not allowed". */
    public static CloseReason notAllowed() {
        return NOT_ALLOWED_REASON;
    }

    /** 4408 "too many messages". */
    public static CloseReason tooManyMessages() {
        return TOO_MANY_MESSAGES;
    }

    /** 4408 "too slow": the client does not keep up with what it is sent. */
    public static CloseReason tooSlow() {
        return TOO_SLOW_REASON;
    }

    /** 1009 "frame too big". */
    public static CloseReason tooBig() {
        return TOO_BIG_REASON;
    }

    private static String fit(String reason) {
        byte[] utf8 = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length <= 123) {
            return reason;
        }
        String cut = new String(utf8, 0, 123, java.nio.charset.StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
