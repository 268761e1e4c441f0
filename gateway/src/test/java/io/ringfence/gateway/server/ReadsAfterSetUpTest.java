package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Review of 2026-12-06: the engine's output sink was set after the I/O thread had started, so a message read in
 * between was decided and its answer dropped. {@code GatewayServer.start(..., beforeReading)} runs its set-up with the
 * port bound and nothing read yet.
 */
class ReadsAfterSetUpTest {

    @Test
    void aClientConnectingDuringTheSetUpIsReadOnlyAfterIt() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.port = freePort();
        final AtomicReference<SessionOutbound> handed = new AtomicReference<>();
        final AtomicReference<GatewayServer> started = new AtomicReference<>();
        final long threadsBefore = ioThreads(); // another test's server may still be closing
        try (Socket early = new Socket()) {
            final GatewayServer server = GatewayServer.start(config, null,
                    GatewayHandlers.of((sessionId, clientKey, templateId, clientSeq, buffer, offset, length) -> true), outbound -> {
                        handed.set(outbound);
                        try {
                            // the kernel takes the connection (the port is bound); the server must not have accepted it yet
                            early.connect(new InetSocketAddress("127.0.0.1", config.port), 5_000);
                            Thread.sleep(300);
                        } catch (final Exception e) {
                            throw new AssertionError(e);
                        }
                        final GatewayServer none = started.get();
                        assertEquals(null, none, "start has not returned yet");
                        assertEquals(threadsBefore, ioThreads(), "no gateway I/O thread of this server runs during the set-up");
                    });
            started.set(server);
            try (server) {
                assertSame(server.outbound(), handed.get(), "the set-up was handed the server's outbound");
                GatewayFixture.await("the early connection accepted once the set-up returned",
                        () -> server.counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) == 1);
            }
        }
    }

    @Test
    void aSetUpThatFailsLeavesThePortFree() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.port = freePort();
        final long threadsBefore = ioThreads();
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> GatewayServer.start(config, null,
                GatewayHandlers.of((sessionId, clientKey, templateId, clientSeq, buffer, offset, length) -> true), outbound -> {
                    throw new IllegalStateException("set-up failed");
                }), "the set-up's failure is passed on");
        assertEquals("set-up failed", thrown.getMessage());
        assertEquals(threadsBefore, ioThreads(), "no I/O thread left running");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", config.port)); // throws if the failed start still held it
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> "ringfence-gateway".equals(t.getName()) && t.isAlive()).count();
    }
}
