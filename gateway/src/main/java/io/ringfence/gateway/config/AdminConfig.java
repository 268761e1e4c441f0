package io.ringfence.gateway.config;

import io.ringfence.engine.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code admin:} section of {@code gateway:}: the HTTP endpoint for operations (Prometheus
 * metrics on {@code /metrics}, a health check on {@code /health}), served on a thread of its own,
 * never the I/O or pipeline threads.
 *
 * <pre>
 * admin:
 *   enabled: true
 *   bindAddress: 127.0.0.1   # loopback by default: the endpoint has no authentication
 *   port: 0                  # 0 = an ephemeral port, printed by the server command
 * </pre>
 */
public final class AdminConfig {
    public boolean enabled = true;
    public String bindAddress = "127.0.0.1";
    public int port = 0;

    /**
     * Checks every field; {@code path} is where the section sits ({@code gateway.admin}).
     *
     * @param gatewayPort the gateway's own TCP port, which the endpoint must not also take
     */
    public void validate(final String path, final int gatewayPort) {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new ConfigException(path + ".bindAddress", bindAddress, "must be an IP address or host name");
        }
        bindInetAddress(path);
        if (port < 0 || port > 65_535) {
            throw new ConfigException(path + ".port", port, "must be between 0 (ephemeral) and 65535");
        }
        if (enabled && port != 0 && port == gatewayPort) {
            throw new ConfigException(path + ".port", port, "must differ from gateway.port (" + gatewayPort + ")");
        }
    }

    /** The address to listen on. */
    public InetAddress bindInetAddress(final String path) {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (final UnknownHostException e) {
            throw new ConfigException(path + ".bindAddress", bindAddress, "is not a resolvable address");
        }
    }
}
