package io.ringfence.gateway.client;

import io.ringfence.sbe.RejectCode;

/**
 * How the client treats the codes of a {@code Reject} the gateway sends before it closes a
 * session: which are worth a reconnect, and which would only repeat.
 */
final class RejectCodes {
    private static final RejectCode[] CODES = RejectCode.values();

    private RejectCodes() {
    }

    /**
     * The code of a raw value, or {@code null} for one this codec does not know (a newer server):
     * unlike {@code RejectCode.get}, never throws, and allocates nothing.
     */
    static RejectCode of(final int raw) {
        for (final RejectCode code : CODES) {
            if (code.value() == raw && code != RejectCode.NULL_VAL) {
                return code;
            }
        }
        return null;
    }

    /**
     * Whether a {@code Reject} with {@code seq} -1 is the gateway closing the session rather than
     * the engine refusing a message. Most session codes are the gateway's alone; the frame codes
     * it shares with the engine's validation (TOO_LARGE, UNKNOWN_SCHEMA, UNSUPPORTED_VERSION,
     * UNKNOWN_TEMPLATE) count only with clientSeq 0, as the gateway's frame rejects carry none
     * while the engine's carry the refused message's (and an engine that has sequenced nothing
     * yet answers with {@code seq} -1 too).
     */
    static boolean isSession(final RejectCode code, final long clientSeq) {
        if (code == null) {
            return false;
        }
        switch (code) {
            case NOT_LOGGED_ON:
            case NOT_AUTHORIZED:
            case BAD_CREDENTIALS:
            case THROTTLED:
            case BAD_FRAME:
            case SLOW_CONSUMER:
            case SERVER_BUSY:
            case SHUTTING_DOWN:
            case INTERNAL:
                return true;
            case UNKNOWN_TEMPLATE:
            case UNKNOWN_SCHEMA:
            case UNSUPPORTED_VERSION:
            case TOO_LARGE:
                return clientSeq == 0;
            default:
                return false;
        }
    }

    /**
     * Whether reconnecting after this session reject can help: the server was busy, stopping, or
     * failed internally, or this client read too slowly. Refusals of what the client sent (roles,
     * frames) would repeat on every resend.
     */
    static boolean sessionRetryable(final RejectCode code) {
        if (code == null) {
            return false;
        }
        switch (code) {
            case SLOW_CONSUMER:
            case SERVER_BUSY:
            case SHUTTING_DOWN:
            case INTERNAL:
            case THROTTLED:
                return true;
            default:
                return false;
        }
    }

    /**
     * Whether a reconnect's refused logon is worth another attempt. NOT_AUTHORIZED at logon means
     * the id still has a live session (the server has not noticed the old connection is dead yet).
     * Wrong credentials do not get better.
     */
    static boolean logonRetryable(final RejectCode code) {
        if (code == null) {
            return false;
        }
        switch (code) {
            case THROTTLED:
            case NOT_AUTHORIZED:
            case NOT_LOGGED_ON: // the server's logon timeout passed before it read the Logon (an overloaded server)
            case SERVER_BUSY:
            case SHUTTING_DOWN:
            case INTERNAL:
                return true;
            default:
                return false;
        }
    }
}
