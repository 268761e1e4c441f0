package io.ringfence.gateway;

/**
 * Learns of session lifecycle events: metrics, the admin view, tests. Called on the gateway I/O
 * thread; must be quick and must not block. Both methods default to doing nothing.
 */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {
    };

    /** A session logged on as {@code clientId}. */
    default void onLogon(final long sessionId, final long clientKey, final String clientId) {
    }

    /** A connection ended; {@code sessionId} is 0 for one refused before it became a session. */
    default void onDisconnect(final long sessionId, final DisconnectReason reason) {
    }
}
