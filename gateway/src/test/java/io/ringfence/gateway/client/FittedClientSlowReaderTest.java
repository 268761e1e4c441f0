package io.ringfence.gateway.client;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.EngineIngress;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client fitted to its server ({@link GatewayClientConfig#fitServer}) whose reading thread is
 * slow (50 µs per decision, a CPU-starved shop: 20k decisions/s while the engine answers faster)
 * and whose sender pushes 60,000 orders as fast as its window lets it: it is held back by its own
 * window and every order is answered; the server never drops it as a slow consumer. With the
 * 64 MiB window the demo and bench clients had against the same default server (1 MiB outbound
 * buffer) this client was dropped in 3 of 3 runs, after 3,000-8,000 decisions.
 */
class FittedClientSlowReaderTest {
    private static final int ORDERS = 60_000;
    private static final long READ_NANOS = 50_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldHoldASlowReaderBackByItsWindowInsteadOfBeingDroppedAsASlowConsumer() throws Exception {
        final GatewayConfig server = new GatewayConfig();
        slowReaderIsNeverDropped(server, new GatewayClientConfig().fitServer(server.outboundBufferBytes, server.maxFrameBytes),
            ORDERS);
    }

    /**
     * The same reader on the client's defaults (a 1 MiB window) against a server holding 64 KiB per session: the server
     * tells its limits in the LogonAck (schema version 5) and the client keeps within them by itself. Before, it owed up
     * to 1 MiB of answers to a 64 KiB buffer and was dropped (the slow-consumer audit saw it 2 to 46 times a run with
     * {@code load}, whose {@code --server-buffer} was the only remedy).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldFitAClientOnItsDefaultsToTheLimitsTheServerToldAtLogon() throws Exception {
        final GatewayConfig server = new GatewayConfig();
        server.outboundBufferBytes = 64 * 1024;
        server.maxFrameBytes = 2048;
        final int[] told = slowReaderIsNeverDropped(server, new GatewayClientConfig(), ORDERS / 3);
        assertEquals(2048, told[0], "the server's maxFrameBytes");
        assertEquals(64 * 1024, told[1], "the server's outboundBufferBytes");
    }

    /**
     * A message over the server's frame limit, which the server would refuse TOO_LARGE and end the session for (stopping
     * the client with every later message), is refused by {@code send} once the LogonAck said the limit; the client
     * goes on.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseAtSendAMessageOverTheFrameLimitTheServerToldAtLogon() throws Exception {
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        final GatewayConfig server = new GatewayConfig();
        server.maxFrameBytes = 2048;
        try (EngineGateway gateway = EngineGateway.start(engine, server, dir, EngineIngress.Validator.NONE)) {
            final ClientConfig local = CredentialsFile.read(dir);
            try (GatewayClient client = GatewayClient.open(new GatewayClientConfig(), new ClientListener() { }, "127.0.0.1",
                gateway.port(), local.id, local.secret)) {
                final UnsafeBuffer big = io.ringfence.gateway.testing.Frames.message(
                    io.ringfence.gateway.testing.Frames.order(0, "o-big", 30));
                final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> client.send(big, 0, big.capacity()));
                assertEquals("message of " + big.capacity() + " bytes (a frame of " + (big.capacity() + 6) + ") exceeds the"
                    + " server's gateway.maxFrameBytes 2048 (told at logon): the server would refuse it TOO_LARGE and close the"
                    + " session; split it, or have the operator raise the limit", refused.getMessage());
                final UnsafeBuffer order = Messages.order();
                assertTrue(client.send(order, 0, order.capacity()) > 0);
                assertTrue(client.awaitAcknowledged(30, TimeUnit.SECONDS), "the next order is answered");
                assertFalse(client.isStopped());
                assertEquals(0, client.reconnects());
            }
        }
    }

    /**
     * A reader 50 us per decision, its sender as fast as its window lets it: every order answered, never dropped.
     *
     * @return the limits the server told the client: maxFrameBytes, outboundBufferBytes
     */
    private int[] slowReaderIsNeverDropped(final GatewayConfig server, final GatewayClientConfig config, final int orders)
        throws Exception {
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        try (EngineGateway gateway = EngineGateway.start(engine, server, dir, EngineIngress.Validator.NONE)) {
            final ClientConfig local = CredentialsFile.read(dir);
            config.maxReconnectAttempts = 0; // a drop must show, not be papered over by a reconnect
            final AtomicLong answers = new AtomicLong();
            final ClientListener slow = new ClientListener() {
                @Override
                public void onDecision(final DecisionDecoder decision) {
                    final long until = System.nanoTime() + READ_NANOS;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    answers.incrementAndGet();
                }

                @Override
                public void onReject(final RejectDecoder reject) {
                    answers.incrementAndGet();
                }
            };
            final UnsafeBuffer order = Messages.order();
            try (GatewayClient client = GatewayClient.open(config, slow, "127.0.0.1", gateway.port(), local.id, local.secret)) {
                for (int i = 0; i < orders; i++) {
                    assertTrue(client.send(order, 0, order.capacity(), 30, TimeUnit.SECONDS) > 0, "order " + i + " sent");
                }
                assertTrue(client.awaitAcknowledged(60, TimeUnit.SECONDS), "every order answered: " + answers.get());
                assertFalse(client.isStopped());
                assertEquals(0, client.reconnects());
                assertEquals(orders, answers.get());
                assertEquals(0, gateway.counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS));
                return new int[] {client.serverMaxFrameBytes(), client.serverOutboundBufferBytes()};
            }
        }
    }
}
