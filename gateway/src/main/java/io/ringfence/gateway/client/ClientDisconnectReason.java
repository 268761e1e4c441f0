package io.ringfence.gateway.client;

/**
 * Why the client lost (or gave up) its connection, as told to
 * {@link ClientListener#onDisconnect(ClientDisconnectReason, String, boolean)}.
 */
public enum ClientDisconnectReason {
    /** The server closed the connection without saying why. */
    PEER_CLOSED,
    /** A socket error (reset, broken pipe). */
    IO_ERROR,
    /** The server sent a session-level {@code Reject} (slow consumer, shutdown, not authorized...) and closes. */
    SERVER_REJECT,
    /** Nothing (not even a Heartbeat) arrived from the server for the receive timeout. */
    SERVER_SILENT,
    /** The server sent bytes that are not a valid frame of the ringfence schema. */
    BAD_FRAME,
    /** A reconnect's Logon got no answer within the logon timeout. */
    LOGON_TIMEOUT,
    /** A reconnect's Logon was refused. */
    LOGON_REJECTED,
    /**
     * The engine reported a client-sequence gap; the client reconnects to learn what was journaled
     * and resend, unless the same gap was reported right after such a resend (then it stops).
     */
    SEQUENCE_GAP,
    /** Fatal: the server has journaled client sequences this client never assigned (another process uses the id). */
    SEQUENCE_CONFLICT,
    /** Fatal: the server has journaled less than it already acknowledged; the difference cannot be resent. */
    MESSAGES_LOST,
    /** Fatal: every allowed reconnect attempt failed. */
    RECONNECT_FAILED,
    /** Fatal: the client's I/O thread met an {@link Error} (e.g. thrown by a listener callback); it has stopped. */
    CLIENT_ERROR,
    /** {@link GatewayClient#close()} was called. */
    CLOSED
}
