package io.atelier.platform.security.socket;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages a client may send per second, per connection, counted in this instance's memory (a
 * connection lives on one instance). A fixed one-second window is enough: the point is to stop a
 * runaway client, not to meter a fair share. The caller closes the connection on a refusal, with
 * {@link CloseCodes#tooManyMessages()}.
 */
public final class ClientMessageLimit {

    private final Clock clock;
    private final int perSecond;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public ClientMessageLimit(Clock clock, int perSecond) {
        this.clock = clock;
        this.perSecond = perSecond;
    }

    /** Counts one message; false once the connection sent more than allowed within the current second. */
    public boolean allow(String connectionId) {
        long second = clock.millis() / 1000;
        long[] window = windows.computeIfAbsent(connectionId, id -> new long[] { second, 0 });
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            return ++window[1] <= perSecond;
        }
    }

    /** The connection closed: drop its window. */
    public void forget(String connectionId) {
        windows.remove(connectionId);
    }
}
