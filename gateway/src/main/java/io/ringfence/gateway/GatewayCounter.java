package io.ringfence.gateway;

import io.ringfence.gateway.frame.FrameError;

/**
 * Every gateway counter: a fixed id (its index), a label for metrics and a description.
 * Counters marked {@code sharedWriters} are also incremented by threads calling
 * {@link SessionOutbound#offer}; all others only by the gateway I/O thread.
 */
public enum GatewayCounter {
    CONNECTIONS_ACCEPTED("connections_accepted", "TCP connections accepted", false),
    CONNECTIONS_REFUSED_BUSY("connections_refused_busy", "connections refused with SERVER_BUSY: no session slot free", false),
    SESSIONS_CLOSED("sessions_closed", "connections closed, for any reason", false),
    LOGONS_OK("logons_ok", "successful logons", false),
    LOGONS_FAILED("logons_failed", "logons refused for an unknown client or a wrong secret", false),
    LOGONS_THROTTLED("logons_throttled", "logons refused because their client id failed too often from their address, or the address with too many ids", false),
    LOGONS_DUPLICATE("logons_duplicate", "logons refused because the client already has a live session", false),
    NOT_LOGGED_ON("not_logged_on", "messages before logon (or a second Logon), refused", false),
    NOT_AUTHORIZED("not_authorized", "messages beyond the session's roles, refused", false),
    FRAMES_IN("frames_in", "valid frames received", false),
    FRAMES_OUT("frames_out", "frames written to sockets", false),
    BYTES_IN("bytes_in", "bytes read from sockets", false),
    BYTES_OUT("bytes_out", "bytes written to sockets", false),
    BAD_LENGTH("frame_bad_length", "frames with a zero, negative or too small length", false),
    TOO_LARGE("frame_too_large", "frames longer than maxFrameBytes", false),
    BAD_ENCODING_TYPE("frame_bad_encoding_type", "frames with a SOFH encoding type other than 0xEB50", false),
    UNKNOWN_SCHEMA("frame_unknown_schema", "frames of another SBE schema", false),
    UNSUPPORTED_VERSION("frame_unsupported_version", "frames of a newer schema version", false),
    UNKNOWN_TEMPLATE("frame_unknown_template", "frames of a template not accepted from clients", false),
    BODY_LENGTH_MISMATCH("frame_body_length_mismatch", "frames whose block, groups and var data do not match the length", false),
    HEARTBEATS_SENT("heartbeats_sent", "heartbeats sent to quiet sessions", false),
    IDLE_DISCONNECTS("idle_disconnects", "sessions closed after the idle timeout", false),
    LOGON_TIMEOUTS("logon_timeouts", "connections closed for not logging on within gateway.logonTimeout", false),
    SLOW_CONSUMER_DISCONNECTS("slow_consumer_disconnects",
        "sessions closed as slow consumers: outbound buffer overflowed, or nothing written for slowConsumerTimeout", false),
    BACK_PRESSURE_PAUSES("back_pressure_pauses", "times reading stopped because a handler had no capacity", false),
    HANDLER_ERRORS("handler_errors", "exceptions thrown by application handlers", false),
    IO_ERRORS("io_errors", "connections ended by a socket error", false),
    OFFERS_FULL("offers_full", "offers refused because the session's outbound buffer was full", true),
    OFFERS_TOO_LARGE("offers_too_large", "offers refused because the message exceeds maxFrameBytes", true),
    OFFERS_NO_SESSION("offers_no_session", "offers to a session that is unknown or closed", true),
    SLOW_CONSUMER_STALLS("slow_consumer_stalls",
        "of the slow-consumer disconnects, those for a socket that took nothing for slowConsumerTimeout", false),
    CONNECTIONS_DISPLACED("connections_displaced",
        "connections not logged on yet past their grace, closed because every slot, or their address's share of those awaiting"
            + " their logon, was taken and a newer connection needed one", false),
    CONNECTIONS_REFUSED_ADDRESS("connections_refused_address",
        "connections refused because too many from the same address were awaiting their logon", false),
    CONNECTIONS_REFUSED_MEMORY("connections_refused_memory",
        "connections refused because their buffers could not be allocated (-XX:MaxDirectMemorySize reached)", false),
    ACCEPT_FAILURES("accept_failures",
        "failed accepts of new connections (e.g. the open-file limit reached); accepting pauses 100 ms after each", false);

    private final String label;
    private final String description;
    private final boolean sharedWriters;

    GatewayCounter(final String label, final String description, final boolean sharedWriters) {
        this.label = label;
        this.description = description;
        this.sharedWriters = sharedWriters;
    }

    public int id() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether threads other than the I/O thread increment it (atomically). */
    public boolean sharedWriters() {
        return sharedWriters;
    }

    /** The counter of a frame error kind. */
    public static GatewayCounter of(final FrameError error) {
        switch (error) {
            case BAD_LENGTH: return BAD_LENGTH;
            case TOO_LARGE: return TOO_LARGE;
            case BAD_ENCODING_TYPE: return BAD_ENCODING_TYPE;
            case UNKNOWN_SCHEMA: return UNKNOWN_SCHEMA;
            case UNSUPPORTED_VERSION: return UNSUPPORTED_VERSION;
            case UNKNOWN_TEMPLATE: return UNKNOWN_TEMPLATE;
            default: return BODY_LENGTH_MISMATCH;
        }
    }
}
