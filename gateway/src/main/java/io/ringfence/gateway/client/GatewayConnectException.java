package io.ringfence.gateway.client;

/** No TCP connection could be made: nothing listens there (connection refused), or the address is unreachable. */
public final class GatewayConnectException extends GatewayClientException {
    private static final long serialVersionUID = 1L;

    public GatewayConnectException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
