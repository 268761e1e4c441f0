package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.TrendingPushDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trending lists and cart promotions end to end: the engine behind the real gateway over
 * loopback, a client that sends views, add-to-carts and orders and subscribes to TRENDING by
 * window ({@code trendingSales}) and by user ({@code u-1}): it gets the sales list of the
 * category, u-1's cart promotion once the delay has passed in event time, and neither the views
 * list (another window) nor u-2's promotion (another user).
 */
class TrendingPushGatewayTest {
    private static final long MINUTE = 60_000_000L;
    private static final long START = 1_700_000_000_000_000L - 1_700_000_000_000_000L % (60 * MINUTE);

    @TempDir
    Path dir;

    private static EngineConfig engineConfig() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.fraud.enabled = false; // about pushes, not scores
        return config;
    }

    private static byte[] order(final long clientSeq, final long eventTime, final String user, final String sku) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).orderId("o-" + clientSeq).userId(user)
            .merchantId("m-1").amount(1_000).currency("EUR").country("DE").ip("10.0.0.1")
            .deviceId("d-" + user).instrumentId("card-" + user).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku(sku).qty(1).unitPrice(1_000).category("garden");
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, order));
    }

    private static byte[] activity(final long clientSeq, final long eventTime, final String user, final ActivityKind kind,
                                   final String sku) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ActivityEncoder activity = new FrameEncoder().begin(buffer, 0, new ActivityEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).userId(user).sessionId("s-" + user).kind(kind)
            .sku(sku).ip("10.0.0.1").deviceId("d-" + user);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, activity));
    }

    private static byte[] subscribe(final long id, final FilterKind kind, final String filter) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new FrameEncoder().begin(buffer, 0, new SubscribeEncoder())
            .clientSeq(900 + id).subscriptionId(id).topic(Topic.TRENDING).filterKind(kind).filter(filter);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, subscribe));
    }

    @Test
    void pushesTheSubscribedTrendingListAndTheSubscribedUsersCartPromotionOnly() throws IOException {
        try (EngineGateway gateway = EngineGateway.start(engineConfig(), new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            final ClientConfig local = CredentialsFile.read(dir);
            client.send(Frames.logon(local.id, local.secret));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, client.readSkippingHeartbeats().templateId());
            client.send(subscribe(1, FilterKind.WINDOW, "trendingSales"));
            client.send(subscribe(2, FilterKind.USER, "u-1"));

            client.send(activity(1, START + 1_000_000L, "u-1", ActivityKind.ADD_TO_CART, "sku-9"));
            client.send(activity(2, START + 2_000_000L, "u-2", ActivityKind.ADD_TO_CART, "sku-8"));
            client.send(activity(3, START + 3_000_000L, "u-3", ActivityKind.VIEW, "sku-1"));   // a views list: not subscribed
            client.send(order(4, START + 4_000_000L, "u-4", "sku-1"));                         // the sales list of garden
            client.send(order(5, START + 31 * MINUTE, "u-5", "sku-1"));                       // 30 min after both adds

            int answers = 0;
            final List<TrendingPushDecoder> pushes = new ArrayList<>();
            for (int frames = 0; frames < 20 && (answers < 5 || pushes.size() < 2); frames++) {
                final TestClient.Frame frame = client.readSkippingHeartbeats();
                final int template = frame.templateId();
                if (template == AckDecoder.TEMPLATE_ID || template == DecisionDecoder.TEMPLATE_ID) {
                    answers++;
                    continue;
                }
                assertEquals(TrendingPushDecoder.TEMPLATE_ID, template, "only subscribed pushes arrive: " + frame
                    + (template == RejectDecoder.TEMPLATE_ID ? " " + frame.reject().reason() : ""));
                final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame.message(), 0);
                pushes.add(new TrendingPushDecoder()
                    .wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
            }
            assertEquals(5, answers, "three acks and two decisions");
            assertEquals(2, pushes.size());

            final TrendingPushDecoder sales = pushes.get(0);
            assertEquals("trendingSales", sales.window());
            assertEquals("garden", sales.category());
            assertEquals("", sales.userId());
            assertEquals(4, sales.seq(), "pushed by the first order");
            final TrendingPushDecoder.ItemsDecoder top = sales.items();
            assertEquals(1, top.count());
            assertEquals("sku-1", top.next().sku());
            assertEquals(1, top.occurrences());

            final TrendingPushDecoder promotion = pushes.get(1);
            assertEquals("cartAbandoned", promotion.window());
            assertEquals("u-1", promotion.userId());
            assertEquals("", promotion.category());
            assertEquals(5, promotion.seq(), "revealed by the order 31 minutes on");
            assertEquals(START + 1_000_000L + 30 * MINUTE, promotion.eventTime(), "the first add plus the default 30 min delay");
            final TrendingPushDecoder.ItemsDecoder items = promotion.items();
            assertEquals(1, items.count());
            assertEquals("sku-9", items.next().sku());
            assertEquals(1, items.occurrences());

            assertEquals(2, gateway.engine().logic().carts().pushes(), "u-2 was promoted too, to nobody subscribed");
            assertTrue(gateway.engine().logic().trending().pushes() >= 2, "the views list was pushed, to nobody subscribed");
            assertEquals(2, gateway.sink().subscriptionCount());
        }
    }
}
