package io.ringfence.gateway.client;

/** The TCP connect or the logon did not complete within its configured timeout. */
public final class GatewayTimeoutException extends GatewayClientException {
    private static final long serialVersionUID = 1L;

    public GatewayTimeoutException(final String message) {
        super(message);
    }
}
