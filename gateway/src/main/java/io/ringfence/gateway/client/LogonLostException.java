package io.ringfence.gateway.client;

/**
 * The connection ended before the server answered the first {@code Logon}: reset or closed without a {@code Reject}
 * (a server killed or stopping as the client logged on). Nothing was sent under the session, so a caller may connect
 * again and log on as before ({@code load} and {@code subscribe} do, within {@code --wait-for-server}).
 */
public final class LogonLostException extends GatewayClientException {
    private static final long serialVersionUID = 1L;

    public LogonLostException(final String message) {
        super(message);
    }
}
