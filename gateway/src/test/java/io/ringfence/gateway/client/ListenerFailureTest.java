package io.ringfence.gateway.client;

import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.sbe.DecisionDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listener callback that fails: an exception or an assertion failure is logged and the client
 * goes on; any other {@link Error} stops the client visibly (a Java-integrator trial: the I/O
 * thread died while the client still looked logged on and {@code send} handed out sequences no
 * thread would write).
 */
class ListenerFailureTest {
    private final FakeEngine engine = new FakeEngine();
    private GatewayServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Throws from the decision of clientSeq {@code failAt}. */
    private static final class FailingListener extends RecordingListenerDelegate {
        private final long failAt;
        private final Throwable failure;

        FailingListener(final long failAt, final Throwable failure) {
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public void onDecision(final DecisionDecoder decision) {
            if (decision.clientSeq() == failAt) {
                if (failure instanceof Error) {
                    throw (Error) failure;
                }
                throw (RuntimeException) failure;
            }
            super.onDecision(decision);
        }
    }

    @Test
    void shouldGoOnAfterAnAssertionFailureInACallback() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final FailingListener listener = new FailingListener(2, new AssertionError("a test's assertion"));
        final UnsafeBuffer order = Messages.order();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            for (int i = 0; i < 3; i++) {
                client.send(order, 0, order.capacity());
            }
            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS), "every message answered");
            assertEquals(java.util.List.of(1L, 3L), listener.recorded.decisions(), "the decision after the failing one arrives");
            assertTrue(client.isLoggedOn());
        }
    }

    @Test
    void shouldStopVisiblyWhenACallbackThrowsAnyOtherError() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final FailingListener listener = new FailingListener(2, new StackOverflowError("deep listener"));
        final UnsafeBuffer order = Messages.order();
        final GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener);
        try {
            for (int i = 0; i < 3; i++) {
                client.send(order, 0, order.capacity());
            }
            final RecordingListener.Disconnect stopped = listener.recorded.nextDisconnect();
            assertEquals(ClientDisconnectReason.CLIENT_ERROR, stopped.reason(), stopped.toString());
            assertFalse(stopped.reconnecting());
            assertTrue(client.isStopped(), "the client says it stopped");
            assertFalse(client.isLoggedOn());
            assertEquals(GatewayClient.CLOSED, client.send(order, 0, order.capacity()), "no sequence handed out");
            assertThrows(IllegalStateException.class, () -> client.subscribe(1, io.ringfence.sbe.Topic.FRAUD_ALERT,
                io.ringfence.sbe.FilterKind.ALL, ""));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ioThreadAlive(listener.recorded.ioThreadName()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(ioThreadAlive(listener.recorded.ioThreadName()), "the stopped client's I/O thread ended (it kept the JVM alive)");
        } finally {
            client.close();
        }
    }

    private static boolean ioThreadAlive(final String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** A listener that records like {@link RecordingListener} (final there) and can be overridden. */
    private static class RecordingListenerDelegate implements ClientListener {
        final RecordingListener recorded = new RecordingListener();

        @Override
        public void onLogon(final io.ringfence.sbe.LogonAckDecoder ack) {
            recorded.onLogon(ack);
        }

        @Override
        public void onDecision(final DecisionDecoder decision) {
            recorded.onDecision(decision);
        }

        @Override
        public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
            recorded.onDisconnect(reason, detail, reconnecting);
        }
    }
}
