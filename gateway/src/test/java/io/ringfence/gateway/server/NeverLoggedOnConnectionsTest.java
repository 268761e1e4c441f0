package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile-client audit: ~9,000 connections in 15 s that never sent a byte each got a fresh 1.28 MiB of direct memory
 * (receive buffer, outbound ring, staging) and a 160 KiB stamp array, allocated on the gateway I/O thread, which also runs
 * the engine's stages inline: every client stalled for over a second (page faults, full GCs of direct memory). The
 * buffers of a session that never logged on now go to the next connection.
 */
class NeverLoggedOnConnectionsTest {
    private static final int CONNECTIONS = 300;

    @Test
    void connectionsThatNeverLogOnReuseTheBuffersOfThoseBefore() throws Exception {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        try (GatewayServer server = GatewayServer.start(GatewayFixture.config(), null,
                GatewayHandlers.of((sessionId, clientKey, templateId, clientSeq, buffer, offset, length) -> true))) {
            final long ioThread = ioThread();
            connectAndLeave(server, 20); // the first sessions' buffers, and the I/O thread's code paths
            final long before = threads.getThreadAllocatedBytes(ioThread);
            connectAndLeave(server, CONNECTIONS);
            final long perConnection = (threads.getThreadAllocatedBytes(ioThread) - before) / CONNECTIONS;
            System.out.println("gateway I/O thread allocated " + perConnection + " bytes per connection that never logged on");
            // a fresh session's outbound queue alone holds a 160 KiB stamp array on the heap (its direct buffers are not
            // counted here); a reused one leaves the session object, its names and the selection key
            assertTrue(perConnection < 16 * 1024, perConnection + " bytes per connection");
        }
    }

    /**
     * Security trial: connections from 4 addresses, up to 64 open at a time (each address's share of those awaiting
     * their logon), closed and opened again: only 16 sets were kept for reuse, so 48 of every 64 were allocated anew and
     * direct memory grew to its limit. Every set is now kept up to one per session slot.
     */
    @Test
    void connectionsHeldOpenTogetherReuseTheirBuffersToo() throws Exception {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        final io.ringfence.gateway.config.GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 64;
        config.maxAwaitingLogonPerAddress = 16;
        try (GatewayServer server = GatewayServer.start(config, null,
                GatewayHandlers.of((sessionId, clientKey, templateId, clientSeq, buffer, offset, length) -> true))) {
            final long ioThread = ioThread();
            holdThenLeave(server, 64); // the first sets, one per slot
            final long before = threads.getThreadAllocatedBytes(ioThread);
            final int rounds = 5;
            for (int r = 0; r < rounds; r++) {
                holdThenLeave(server, 64);
            }
            final long perConnection = (threads.getThreadAllocatedBytes(ioThread) - before) / (rounds * 64L);
            System.out.println("gateway I/O thread allocated " + perConnection + " bytes per connection held with 63 others");
            assertTrue(perConnection < 16 * 1024, perConnection + " bytes per connection: a fresh set's stamp array alone is 160 KiB");
        }
    }

    private static long ioThread() {
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if ("ringfence-gateway".equals(thread.getName())) {
                return thread.getId();
            }
        }
        throw new AssertionError("no gateway I/O thread");
    }

    /** {@code n} connections open at once, 16 from each of 127.0.0.101 to .104, then all closed. */
    private static void holdThenLeave(final GatewayServer server, final int n) throws Exception {
        final long closedBefore = server.counters().get(GatewayCounter.SESSIONS_CLOSED);
        final long acceptedBefore = server.counters().get(GatewayCounter.CONNECTIONS_ACCEPTED);
        final Socket[] sockets = new Socket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new Socket();
                sockets[i].bind(new InetSocketAddress("127.0.0." + (101 + i % 4), 0));
                sockets[i].connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            }
            GatewayFixture.await("all " + n + " accepted", () -> server.counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) >= acceptedBefore + n);
        } finally {
            for (final Socket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        GatewayFixture.await("all " + n + " closed by the server", () -> server.counters().get(GatewayCounter.SESSIONS_CLOSED) >= closedBefore + n);
    }

    private static void connectAndLeave(final GatewayServer server, final int n) throws Exception {
        final long closedBefore = server.counters().get(GatewayCounter.SESSIONS_CLOSED);
        for (int i = 0; i < n; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            }
            final long target = closedBefore + i + 1;
            GatewayFixture.await("connection " + i + " closed by the server", () -> server.counters().get(GatewayCounter.SESSIONS_CLOSED) >= target);
        }
    }
}
