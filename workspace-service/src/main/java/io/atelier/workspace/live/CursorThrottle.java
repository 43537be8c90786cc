package io.atelier.workspace.live;

/**
 * One connection's cursor moves, at most one per interval: a move that comes sooner waits, and a later
 * one replaces it (only the newest position matters). Times are the caller's (nanoseconds, monotonic).
 */
final class CursorThrottle<T> {

    /** What to do with an offered move: send it now, or (when {@code timerInMillis >= 0}) start a timer. */
    record Decision<T>(T sendNow, long timerInMillis) {
    }

    private final long intervalNanos;
    private long lastSent = Long.MIN_VALUE;
    private T pending;
    private boolean timerSet;

    CursorThrottle(int perSecond) {
        this.intervalNanos = 1_000_000_000L / perSecond;
    }

    synchronized Decision<T> offer(T move, long now) {
        if (!timerSet && (lastSent == Long.MIN_VALUE || now - lastSent >= intervalNanos)) {
            lastSent = now;
            return new Decision<>(move, -1);
        }
        pending = move;
        if (timerSet) {
            return new Decision<>(null, -1);
        }
        timerSet = true;
        return new Decision<>(null, Math.max(1, (lastSent + intervalNanos - now + 999_999) / 1_000_000));
    }

    /** The timer fired: the newest move that waited, to send now (null when none). */
    synchronized T due(long now) {
        timerSet = false;
        T move = pending;
        pending = null;
        if (move != null) {
            lastSent = now;
        }
        return move;
    }
}
