package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos trial: a server stopped (SIGSTOP) for 35 s under load left no trace in its log but the logons refused after it.
 * A loop pass that comes round more than {@link GatewayAgent#STALL_WARN_NANOS} late is said, once per stall.
 */
class IoThreadStallWarningTest {
    @Test
    void aLoopPassFarLaterThanATickIsSaidOnce() throws Exception {
        final AtomicBoolean stall = new AtomicBoolean();
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (GatewayServer server = GatewayServer.start(GatewayFixture.config(), null, GatewayHandlers.of(
                GatewayFixture.handlerWithWork(() -> {
                    if (stall.getAndSet(false)) {
                        try {
                            Thread.sleep(GatewayAgent.STALL_WARN_NANOS / 1_000_000 + 300);
                        } catch (final InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return 0;
                })))) {
            Thread.sleep(300); // passes at the tick: nothing said
            stall.set(true);
            final long deadline = System.nanoTime() + 20_000_000_000L; // the stall itself takes over 5 s
            while (!captured.toString(StandardCharsets.UTF_8).contains("came round its loop") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
        } finally {
            System.setErr(err);
        }
        final String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.split("came round its loop after", -1).length - 1, log);
        assertTrue(log.contains("gateway I/O thread came round its loop after 5."), log);
    }
}
