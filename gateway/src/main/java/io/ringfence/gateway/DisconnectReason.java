package io.ringfence.gateway;

import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Why the gateway ended a connection, and the {@code Reject} it sends first (best effort) when
 * there is one. The reason texts are fixed, so a reject costs no string building.
 */
public enum DisconnectReason {
    /** The peer closed its side. */
    PEER_CLOSED(null, "peer closed"),
    /** A socket error (reset, broken pipe). */
    IO_ERROR(null, "socket error"),
    /** A frame the decoder refused; the Reject carries the frame error's own code and reason. */
    BAD_FRAME(RejectCode.BAD_FRAME, "bad frame"),
    /** Logon with an unknown client id or a wrong secret (indistinguishable on purpose). */
    BAD_CREDENTIALS(RejectCode.BAD_CREDENTIALS, "unknown client or wrong secret"),
    /**
     * Logon of a client id (configured or not, alike) that has failed too often from this address recently, or from an
     * address that failed with too many different ids, see {@code LogonThrottle}.
     */
    THROTTLED(RejectCode.THROTTLED, "too many failed logons of this client id (or of too many ids) from this address; try again after gateway.logonThrottle.backoff (30s by default)"),
    /** A message other than Logon before a successful logon, or a second Logon. */
    NOT_LOGGED_ON(RejectCode.NOT_LOGGED_ON, "the first message must be a Logon, and only the first"),
    /** A message the session's roles do not allow. */
    NOT_AUTHORIZED(RejectCode.NOT_AUTHORIZED, "the client's roles do not allow this message"),
    /** Logon of a client id that already has a live session: the newcomer is refused. */
    DUPLICATE_LOGON(RejectCode.NOT_AUTHORIZED, "this client already has a live session"),
    /** No successful Logon within {@code gateway.logonTimeout} of connecting: the slot goes back. */
    LOGON_TIMEOUT(RejectCode.NOT_LOGGED_ON, "no Logon within gateway.logonTimeout of connecting"),
    /** Nothing received for the idle timeout (a stalled peer, half a frame, a dead link). */
    IDLE_TIMEOUT(null, "idle timeout"),
    /**
     * The session's outbound buffer overflowed: the client read too slowly, or one event made more pushes for it than the
     * buffer holds (a window close over many keys, a burst of overdue timers: slow-consumer audit, 12,000 UNPAID_OVERDUE
     * pushes of one event dropped every ORDER_STATUS subscriber, each told it "reads too slowly").
     */
    SLOW_CONSUMER(RejectCode.SLOW_CONSUMER, "outbound buffer overflowed (gateway.outboundBufferBytes): the client read too"
        + " slowly, or one event made more pushes or answers for it than the buffer holds; reconnect and resume or resend"),
    /**
     * Bytes waited for the session and its socket took none of them for {@code gateway.slowConsumerTimeout}:
     * the client stopped reading, however far its backlog is below the buffer's size.
     */
    SLOW_CONSUMER_STALLED(RejectCode.SLOW_CONSUMER, "outbound not drained for slowConsumerTimeout; the client stopped reading"),
    /** No session slot free. */
    SERVER_BUSY(RejectCode.SERVER_BUSY, "too many sessions: every one of gateway.maxSessions is in use (refused before the logon is read, so before its credentials are checked); try again later"),
    /**
     * Not logged on yet while every slot was taken: the slot went to a newer connection, so connections that never
     * log on (a reconnect loop, a scanner) cannot keep the slots from clients that do.
     */
    DISPLACED(RejectCode.SERVER_BUSY, "too many sessions: not logged on yet, and a newer connection needed the slot"),
    /** Displaced from its address's share of connections awaiting their logon by a newer one from the same address. */
    DISPLACED_FROM_ADDRESS(RejectCode.SERVER_BUSY, "too many connections from this address awaiting their logon: not logged on"
        + " yet, and a newer one from the address needed the place"),
    /** The connection's buffers could not be allocated: the direct memory (-XX:MaxDirectMemorySize) is used up. */
    NO_MEMORY(RejectCode.SERVER_BUSY, "the server cannot allocate this connection's buffers (its direct memory,"
        + " -XX:MaxDirectMemorySize, is used up); try again later"),
    /** Too many connections from this address are awaiting their logon at once. */
    CROWDED_ADDRESS(RejectCode.SERVER_BUSY, "too many connections from this address are awaiting their logon"),
    /** The application handler threw. */
    HANDLER_ERROR(RejectCode.INTERNAL, "internal error"),
    /** The gateway is stopping. */
    SHUTDOWN(RejectCode.SHUTTING_DOWN, "server shutting down"),
    /**
     * Closed on request ({@code GatewayServer.disconnect}): what is queued is flushed (best effort),
     * then the connection closes without a Reject, like a dropped link, so the client reconnects.
     */
    REQUESTED(null, "disconnect requested");

    private final RejectCode rejectCode;
    private final byte[] reason;

    DisconnectReason(final RejectCode rejectCode, final String reason) {
        this.rejectCode = rejectCode;
        this.reason = reason.getBytes(StandardCharsets.US_ASCII);
    }

    /** The code of the Reject sent before closing, or {@code null} when none is sent. */
    public RejectCode rejectCode() {
        return rejectCode;
    }

    /** Length of the reason text in bytes. */
    public int reasonLength() {
        return reason.length;
    }

    /** Writes the reason text into a Reject being encoded, without allocating. */
    public void putReason(final RejectEncoder encoder) {
        encoder.putReason(reason, 0, reason.length);
    }

    /** The reason text. */
    public String reason() {
        return new String(reason, StandardCharsets.US_ASCII);
    }
}
