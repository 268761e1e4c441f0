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
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        final GatewayConfig server = new GatewayConfig();
        try (EngineGateway gateway = EngineGateway.start(engine, server, dir, EngineIngress.Validator.NONE)) {
            final ClientConfig local = CredentialsFile.read(dir);
            final GatewayClientConfig config = new GatewayClientConfig().fitServer(server.outboundBufferBytes, server.maxFrameBytes);
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
                for (int i = 0; i < ORDERS; i++) {
                    assertTrue(client.send(order, 0, order.capacity(), 30, TimeUnit.SECONDS) > 0, "order " + i + " sent");
                }
                assertTrue(client.awaitAcknowledged(60, TimeUnit.SECONDS), "every order answered: " + answers.get());
                assertFalse(client.isStopped());
                assertEquals(0, client.reconnects());
            }
            assertEquals(ORDERS, answers.get());
            assertEquals(0, gateway.counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS));
        }
    }
}
