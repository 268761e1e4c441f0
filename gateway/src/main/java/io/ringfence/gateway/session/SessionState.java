package io.ringfence.gateway.session;

/** Where a session is in its life. */
public enum SessionState {
    /** Connected; the only message allowed is Logon. */
    AWAITING_LOGON,
    /** Logged on as a client; messages are checked against its roles. */
    ACTIVE,
    /** Closed; the slot is free again and offers to it fail. */
    CLOSED
}
