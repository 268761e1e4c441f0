package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusEncoder;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order-status and stock pushes through the real gateway to real clients over loopback: a shop
 * sends stock, orders, a payment and statuses; one subscriber follows an order, one a user, one
 * a sku, and each gets exactly its pushes, in engine order. The shop gets an engine Reject
 * (INVALID_TRANSITION, with the event's sequence) for a status the lifecycle refuses, instead of
 * the Ack other statuses get, and the oversold order's decision carries OVERSELL.
 */
class CommercePushGatewayTest {
    private static final String SECRET = "correct-horse-battery-staple";
    private static final long T0 = 1_767_607_200_000_000L; // 2026-01-05T10:00:00Z

    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /** Collects what one client receives, as short strings. */
    private static final class Recorder implements ClientListener {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void onDecision(final DecisionDecoder d) {
            final StringBuilder s = new StringBuilder("decision " + d.clientSeq() + " " + d.subjectId());
            final DecisionDecoder.ReasonsDecoder reasons = d.reasons();
            while (reasons.hasNext()) {
                s.append(' ').append(reasons.next().code());
            }
            received.add(s.toString());
        }

        @Override
        public void onAck(final AckDecoder ack) {
            received.add("ack " + ack.clientSeq());
        }

        @Override
        public void onReject(final RejectDecoder r) {
            received.add("reject " + r.clientSeq() + " seq " + r.seq() + " " + r.code() + " " + r.reason());
        }

        @Override
        public void onPush(final int templateId, final DirectBuffer b, final int offset, final int length) {
            final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(b, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            if (templateId == OrderStatusPushDecoder.TEMPLATE_ID) {
                final OrderStatusPushDecoder p = new OrderStatusPushDecoder().wrap(b, body, h.blockLength(), h.version());
                received.add(p.orderId() + "/" + p.userId() + " " + p.status());
            } else if (templateId == StockPushDecoder.TEMPLATE_ID) {
                final StockPushDecoder p = new StockPushDecoder().wrap(b, body, h.blockLength(), h.version());
                received.add(p.sku() + "@" + p.warehouse() + " " + p.signal() + " " + p.level());
            } else {
                received.add("push " + templateId);
            }
        }
    }

    @Test
    void shouldPushOrderStatusByOrderAndUserAndStockBySku() throws Exception {
        final EngineConfig engine = EngineConfigLoader.defaults();
        engine.pipeline.waitStrategy = "blocking";
        engine.fraud.enabled = false;
        engine.windows = List.of();
        final GatewayConfig gateway = GatewayFixture.config();
        gateway.port = 0;
        gateway.clients = List.of(new ClientConfig("shop", SECRET, List.of("SUBMIT")),
                new ClientConfig("by-order", SECRET, List.of("SUBSCRIBE")),
                new ClientConfig("by-user", SECRET, List.of("SUBSCRIBE")),
                new ClientConfig("by-sku", SECRET, List.of("SUBSCRIBE")));
        final Recorder shop = new Recorder();
        final Recorder byOrder = new Recorder();
        final Recorder byUser = new Recorder();
        final Recorder bySku = new Recorder();
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        try (EngineGateway server = EngineGateway.start(engine, gateway, dir, new SbeEventValidator(1 << 16));
             GatewayClient sender = GatewayClient.open(clientConfig, shop, "127.0.0.1", server.port(), "shop", SECRET);
             GatewayClient order = GatewayClient.open(clientConfig, byOrder, "127.0.0.1", server.port(), "by-order", SECRET);
             GatewayClient user = GatewayClient.open(clientConfig, byUser, "127.0.0.1", server.port(), "by-user", SECRET);
             GatewayClient sku = GatewayClient.open(clientConfig, bySku, "127.0.0.1", server.port(), "by-sku", SECRET)) {
            order.subscribe(1, Topic.ORDER_STATUS, FilterKind.ORDER, "o-1");
            user.subscribe(1, Topic.ORDER_STATUS, FilterKind.USER, "u-2");
            sku.subscribe(1, Topic.STOCK, FilterKind.SKU, "sku-1");
            GatewayFixture.await("three subscriptions", () -> server.sink().subscriptionCount() == 3);

            send(sender, inventory(1, "sku-1", 10));
            send(sender, order(2, "o-1", "u-1", "sku-1", 7));   // CREATED; available 3: LOW
            send(sender, order(3, "o-2", "u-2", "sku-1", 5));   // CREATED; 5 > 3: OVERSELL; available -2: OUT
            send(sender, payment(4, "o-1"));                      // PAID
            send(sender, status(5, "o-2", "u-2", OrderState.CANCELLED)); // released: available 3: LOW
            send(sender, status(6, "o-1", "u-1", OrderState.DELIVERED)); // PAID -> DELIVERED is not allowed
            send(sender, status(7, "o-1", "u-1", OrderState.SHIPPED));   // released, but shipped goods are no restock: no push
            send(sender, status(8, "o-9", "u-9", OrderState.SHIPPED));   // unknown order
            send(sender, inventory(9, "sku-1", 20));                      // a count of 20: RESTOCKED
            assertTrue(sender.awaitAcknowledged(10, TimeUnit.SECONDS), "every event answered");
            GatewayFixture.await("pushes", () -> byOrder.received.size() >= 3 && byUser.received.size() >= 2
                    && bySku.received.size() >= 4);
            Thread.sleep(100); // nothing more may arrive
        }
        assertEquals(List.of("ack 1", "decision 2 o-1", "decision 3 o-2 OVERSELL", "decision 4 p-4", "ack 5",
                "reject 6 seq 6 INVALID_TRANSITION invalid transition PAID -> DELIVERED", "ack 7",
                "reject 8 seq 8 UNKNOWN_ORDER unknown order: no order event seen, or forgotten (orders.retention, orders.idleTtl, or to make room under orders.maxOrders)",
                "ack 9"),
                shop.received);
        assertEquals(List.of("o-1/u-1 CREATED", "o-1/u-1 PAID", "o-1/u-1 SHIPPED"), byOrder.received);
        assertEquals(List.of("o-2/u-2 CREATED", "o-2/u-2 CANCELLED"), byUser.received);
        assertEquals(List.of("sku-1@ LOW 3", "sku-1@ OUT -2", "sku-1@ LOW 3", "sku-1@w1 RESTOCKED 20"),
                bySku.received);
    }

    private void send(final GatewayClient client, final int length) throws Exception {
        assertTrue(client.send(buffer, 0, length, 5, TimeUnit.SECONDS) > 0);
    }

    private int inventory(final long seq, final String sku, final long level) {
        final InventoryEncoder e = new InventoryEncoder().wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(seq).eventTime(T0 + seq * 1_000_000L).sku(sku).warehouse("w1").mode(InventoryMode.LEVEL).quantity(level);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int order(final long seq, final String orderId, final String userId, final String sku, final int qty) {
        final OrderEncoder e = new OrderEncoder().wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(seq).eventTime(T0 + seq * 1_000_000L).orderId(orderId).userId(userId).merchantId("m")
                .amount(1_000).currency("EUR").country("DE").ip("10.0.0.1").deviceId("d").instrumentId("card")
                .channel(Channel.WEB).label((byte) -1);
        e.itemsCount(1).next().sku(sku).qty(qty).unitPrice(100).category("c");
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int payment(final long seq, final String orderId) {
        final PaymentEncoder e = new PaymentEncoder().wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(seq).eventTime(T0 + seq * 1_000_000L).paymentId("p-" + seq).orderId(orderId).userId("u-1")
                .instrumentId("card").amount(1_000).currency("EUR").result(PaymentResult.AUTHORIZED).label((byte) -1);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int status(final long seq, final String orderId, final String userId, final OrderState state) {
        final OrderStatusEncoder e = new OrderStatusEncoder().wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(seq).eventTime(T0 + seq * 1_000_000L).orderId(orderId).userId(userId).status(state);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }
}
