package io.ringfence.gateway.client;

import io.ringfence.sbe.RejectCode;

/**
 * The server answered the Logon with a {@code Reject}: {@link RejectCode#BAD_CREDENTIALS} (unknown
 * client id or wrong secret, indistinguishable on purpose), {@link RejectCode#THROTTLED} (too many
 * failures from this address), {@link RejectCode#NOT_AUTHORIZED} (the client id already has a
 * live session), {@link RejectCode#SERVER_BUSY} or {@link RejectCode#SHUTTING_DOWN}.
 */
public final class LogonRejectedException extends GatewayClientException {
    private static final long serialVersionUID = 1L;

    private final transient RejectCode code;
    private final String reason;

    public LogonRejectedException(final String clientId, final RejectCode code, final String reason) {
        super("logon of client '" + clientId + "' rejected: " + code + " (" + reason + ")");
        this.code = code;
        this.reason = reason;
    }

    /** The code of the server's Reject; {@code null} when the server used a code this client's codec does not know. */
    public RejectCode code() {
        return code;
    }

    /** The reason text of the server's Reject. */
    public String reason() {
        return reason;
    }
}
