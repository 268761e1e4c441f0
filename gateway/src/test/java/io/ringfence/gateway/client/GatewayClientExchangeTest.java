package io.ringfence.gateway.client;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayClientExchangeTest {
    private final FakeEngine engine = new FakeEngine();
    private GatewayServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldCorrelateDecisionsAndRejectsWithTheClientSeqSendReturned() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final RecordingListener listener = new RecordingListener();
        final UnsafeBuffer[] kinds = {Messages.order(), Messages.payment(), Messages.activity(), Messages.inventory()};
        final List<Long> answered = new ArrayList<>();
        final List<Long> refused = new ArrayList<>();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            for (int i = 0; i < 200; i++) {
                final UnsafeBuffer message = kinds[i % kinds.length];
                final long seq = client.send(message, 0, message.capacity());
                assertEquals(i + 1, seq, "client sequences start at 1 and increase by 1");
                if (i % 4 < 2) {
                    answered.add(seq);
                } else if (i % 4 == 3) {
                    refused.add(seq);
                }
            }
            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS), "every message acknowledged");

            assertEquals(answered, listener.decisions(), "one decision per order and payment, in clientSeq order");
            final List<Long> rejected = new ArrayList<>();
            for (final RecordingListener.Reject reject : listener.rejects()) {
                assertEquals(RejectCode.BAD_VALUE, reject.code());
                rejected.add(reject.clientSeq());
            }
            assertEquals(refused, rejected, "the engine's rejects carry the refused messages' clientSeq");
            assertEquals(0, client.unacknowledged());
            // the last message was refused: let go by its refusal like any answered message (since schema version 6 the
            // next Logon says it was answered, where it was kept to be resent: RefusedTailAfterRestartTest)
            assertEquals(0, client.unacknowledgedBytes(), "once everything is answered, the store is empty");
            assertEquals(200, engine.accepted().size());
        }
    }

    @Test
    void shouldLetRefusedMessagesGoByTheirRefusal() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final RecordingListener listener = new RecordingListener();
        final UnsafeBuffer inventory = Messages.inventory(); // the fake engine refuses these (BAD_VALUE)
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            for (int i = 0; i < 100; i++) {
                client.send(inventory, 0, inventory.capacity());
            }
            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS), "a client that only sends refused messages never blocks");
            assertEquals(0, client.unacknowledgedBytes(), "nothing kept once refused");
            assertEquals(100, listener.rejects().size());
        }
    }

    @Test
    void shouldTakeAnUnsequencedEngineRefusalWithAFrameCodeAsAnAnswerNotASessionEnd() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        engine.rejectInventoryWith(RejectCode.TOO_LARGE, true);
        final RecordingListener listener = new RecordingListener();
        final UnsafeBuffer inventory = Messages.inventory();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            final long seq = client.send(inventory, 0, inventory.capacity());

            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS), "the refusal answers the message");
            assertEquals(List.of(new RecordingListener.Reject(-1, seq, RejectCode.TOO_LARGE, "inventory refused")), listener.rejects());
            assertTrue(client.isLoggedOn());
            assertTrue(listener.disconnectsSoFar().isEmpty(), "no disconnect: " + listener.disconnectsSoFar());
        }
    }

    @Test
    void shouldDeliverEveryPushTypeToTheListener() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        final RecordingListener listener = new RecordingListener();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.WATCHER, listener)) {
            client.subscribe(7, Topic.FRAUD_ALERT, FilterKind.ALL, "");
            final long[] subscribe = engine.subscribes().poll(5, TimeUnit.SECONDS);
            assertNotNull(subscribe, "the server got the Subscribe");
            assertEquals(0, subscribe[1], "subscriptions carry clientSeq 0: they are outside the journaled sequence");
            assertEquals(7, subscribe[2]);
            final long session = subscribe[0];

            for (final UnsafeBuffer push : Messages.pushes()) {
                assertTrue(server.offer(session, push, 0, push.capacity()));
            }

            GatewayFixture.await("six pushes", () -> listener.pushes().size() == 6);
            assertEquals(List.of(OrderStatusPushDecoder.TEMPLATE_ID, StockPushDecoder.TEMPLATE_ID, FraudAlertDecoder.TEMPLATE_ID,
                WindowResultDecoder.TEMPLATE_ID, AnomalyAlertDecoder.TEMPLATE_ID, TrendingPushDecoder.TEMPLATE_ID), listener.pushes());
        }
    }

    @Test
    void shouldSubscribeAgainAfterAReconnect() throws Exception {
        final GatewayConfig config = ClientTests.serverConfig();
        server = engine.start(config);
        final RecordingListener listener = new RecordingListener();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.WATCHER, listener)) {
            client.subscribe(7, Topic.FRAUD_ALERT, FilterKind.ALL, "");
            client.subscribe(8, Topic.STOCK, FilterKind.SKU, "sku-1");
            assertTrue(client.unsubscribe(7));
            final List<Long> first = subscriptionIds(2);
            assertEquals(List.of(7L, 8L), first);

            config.port = server.port();
            server.close();
            server = engine.start(config);
            GatewayFixture.await("logged on again", () -> listener.logons() == 2);

            assertEquals(List.of(8L), subscriptionIds(1), "only the active subscription is renewed");
        }
    }

    @Test
    void shouldRefuseAFilterTooLongForTheWireWithoutStoppingTheClient() throws Exception {
        server = engine.start(ClientTests.serverConfig());
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.WATCHER, new RecordingListener())) {
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> client.subscribe(1, Topic.ANOMALY, FilterKind.WINDOW, "w".repeat(49)));
            assertEquals("subscription filter '" + "w".repeat(49) + "' must be at most 48 UTF-8 bytes without NUL", tooLong.getMessage());
            assertEquals("subscription filter 'sku\0' must be at most 48 UTF-8 bytes without NUL",
                assertThrows(IllegalArgumentException.class, () -> client.subscribe(2, Topic.STOCK, FilterKind.SKU, "sku\0")).getMessage());
            // what the server would refuse at every logon (review): a filter on ALL, an id filter longer than an id
            assertEquals("topic STOCK cannot be filtered by USER",
                assertThrows(IllegalArgumentException.class, () -> client.subscribe(6, Topic.STOCK, FilterKind.USER, "u-1")).getMessage());
            assertEquals("an ALL subscription takes no filter, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> client.subscribe(4, Topic.STOCK, FilterKind.ALL, "x")).getMessage());
            assertEquals("subscription filter '" + "u".repeat(37) + "' can never match: a USER id is at most 36 UTF-8 bytes",
                assertThrows(IllegalArgumentException.class,
                    () -> client.subscribe(5, Topic.FRAUD_ALERT, FilterKind.USER, "u".repeat(37))).getMessage());
            client.subscribe(3, Topic.ANOMALY, FilterKind.WINDOW, "w".repeat(48));
            final long[] subscribe = engine.subscribes().poll(5, TimeUnit.SECONDS);
            assertNotNull(subscribe, "a 48-byte filter fits and goes out; the refused ones did not");
            assertEquals(3, subscribe[2]);
            assertTrue(client.isLoggedOn());
        }
    }

    @Test
    void shouldKeepAnIdleClientAlivePastTheServerIdleTimeout() throws Exception {
        final GatewayConfig config = ClientTests.serverConfig();
        config.heartbeatInterval = "150ms";
        config.idleTimeout = "750ms";
        server = engine.start(config);
        final RecordingListener listener = new RecordingListener();
        try (GatewayClient client = ClientTests.logOn(server.port(), GatewayFixture.SUBMITTER, listener)) {
            Thread.sleep(2_000);

            assertTrue(listener.disconnectsSoFar().isEmpty(), "no disconnect: " + listener.disconnectsSoFar());
            assertEquals(0, server.counters().get(GatewayCounter.IDLE_DISCONNECTS));
            assertTrue(client.heartbeatsSent() >= 5, "heartbeats sent: " + client.heartbeatsSent());
            assertEquals(1, listener.logons(), "the first session is still the one");
            final long seq = client.send(Messages.order(), 0, Messages.order().capacity());
            assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS));
            assertEquals(List.of(seq), listener.decisions());
        }
    }

    private List<Long> subscriptionIds(final int count) throws InterruptedException {
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final long[] subscribe = engine.subscribes().poll(5, TimeUnit.SECONDS);
            assertNotNull(subscribe, "subscribe " + (i + 1) + " of " + count);
            ids.add(subscribe[2]);
        }
        return ids;
    }
}
