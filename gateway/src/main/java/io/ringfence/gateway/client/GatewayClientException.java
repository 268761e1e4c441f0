package io.ringfence.gateway.client;

import java.io.IOException;

/**
 * Connecting or logging on failed. The subclasses say why: {@link GatewayConnectException} (no TCP
 * connection), {@link LogonRejectedException} (the server refused the logon),
 * {@link GatewayTimeoutException} (no answer in time); this class itself is used when the
 * connection dropped during logon or the client was closed meanwhile.
 */
public class GatewayClientException extends IOException {
    private static final long serialVersionUID = 1L;

    public GatewayClientException(final String message) {
        super(message);
    }

    public GatewayClientException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
