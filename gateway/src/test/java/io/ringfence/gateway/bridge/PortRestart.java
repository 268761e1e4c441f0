package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.config.GatewayConfig;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Starts an engine and gateway on a given port (0 for any), retrying while a just-closed one still holds it. */
final class PortRestart {
    private PortRestart() {
    }

    static EngineGateway start(final EngineConfig config, final Path dir, final int port) {
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.port = port;
        gatewayConfig.admin.enabled = false;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return EngineGateway.start(config, gatewayConfig, dir, SbeEventValidator.of(config.input));
            } catch (final UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e; // the port stayed taken
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }
}
