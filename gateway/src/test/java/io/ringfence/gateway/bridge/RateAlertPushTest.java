package io.ringfence.gateway.bridge;

import io.ringfence.engine.anomaly.AnomalyConfig;
import io.ringfence.engine.anomaly.AnomalyMonitorConfig;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment failure rate alert end to end: the engine with a {@code payments_by_currency_1h}
 * window ({@code count(attempts)}, {@code count(failed)}) and a {@code rate(failed)} monitor behind
 * the real gateway; a client over loopback sends three days of seeded payments, 40 an hour, each
 * failing with probability 2 %, then 30 % for four hours from hour 60, and subscribes to ANOMALY
 * pushes of that window: exactly one {@code AnomalyAlert} (the anomaly's start) arrives, with
 * metric {@code rate(failed)}, within three intervals of the jump. A second test does the same for
 * the decline rate of the engine's own decisions, a third for the failure rate per merchant
 * (payments under their order's merchant).
 */
class RateAlertPushTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long START = 1_322_697_600_000_000L; // 2011-12-01T00:00Z
    private static final int HOURS = 72;
    private static final int PER_HOUR = 40;
    private static final int JUMP_HOUR = 60;
    private static final String WINDOW = "payments_by_currency_1h";

    @TempDir
    Path dir;

    private static EngineConfig engineConfig() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.fraud.enabled = false; // answers are not the subject here
        config.windows.add(new WindowConfig().name(WINDOW).key("currency").kind("tumbling").size("1h").events("payment")
            .metrics("count", "count(attempts)", "count(failed)"));
        config.anomalies.add(new AnomalyMonitorConfig().name("card_failures").window(WINDOW).metric("rate(failed)")
            .detector(new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(24)));
        return config;
    }

    private static byte[] payment(final long clientSeq, final long eventTime, final PaymentResult result) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final PaymentEncoder payment = new FrameEncoder().begin(buffer, 0, new PaymentEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).paymentId("p-" + clientSeq).orderId("o-" + clientSeq)
            .userId("u-" + (clientSeq % 31)).instrumentId("card-" + (clientSeq % 23)).amount(1_000 + clientSeq % 500)
            .currency("EUR").result(result).label((byte) -1);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, payment));
    }

    private static byte[] order(final long clientSeq, final long eventTime, final boolean denied) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).orderId("o-" + clientSeq).userId(denied ? "mule-1" : "u-" + clientSeq)
            .merchantId("shop-1").amount(1_000 + clientSeq % 500).currency("EUR").country("DE").ip("10.1." + (clientSeq / 250) % 250 + "." + clientSeq % 250)
            .deviceId("d-" + clientSeq).instrumentId("card-" + clientSeq).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(0);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, order));
    }

    private static byte[] order(final long clientSeq, final long eventTime, final String orderId, final String merchant) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).orderId(orderId).userId("u-" + clientSeq % 97).merchantId(merchant)
            .amount(1_000 + clientSeq % 500).currency("EUR").country("DE").ip("10.1.0." + clientSeq % 250)
            .deviceId("d-" + clientSeq % 89).instrumentId("card-" + clientSeq % 83).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(0);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, order));
    }

    private static byte[] payment(final long clientSeq, final long eventTime, final String orderId, final PaymentResult result) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final PaymentEncoder payment = new FrameEncoder().begin(buffer, 0, new PaymentEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).paymentId("p-" + clientSeq).orderId(orderId)
            .userId("u-" + clientSeq % 97).instrumentId("card-" + clientSeq % 83).amount(1_000 + clientSeq % 500)
            .currency("EUR").result(result).label((byte) -1);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, payment));
    }

    /** Sends one event and reads up to its decision; the ANOMALY pushes before it go to {@code alerts} as "time window metric key text". */
    private static void sendAndCollect(final TestClient client, final byte[] event, final List<String> alerts) throws IOException {
        client.send(event);
        while (true) {
            final TestClient.Frame frame = client.readSkippingHeartbeats();
            if (frame.templateId() == DecisionDecoder.TEMPLATE_ID) {
                return;
            }
            assertEquals(AnomalyAlertDecoder.TEMPLATE_ID, frame.templateId(), "only subscribed pushes arrive: " + frame
                + (frame.templateId() == RejectDecoder.TEMPLATE_ID ? " " + frame.reject().reason() : ""));
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame.message(), 0);
            final AnomalyAlertDecoder a = new AnomalyAlertDecoder()
                .wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            alerts.add(a.eventTime() + " " + a.window() + " " + a.metric() + " " + a.key() + " " + a.text());
        }
    }

    private static byte[] subscribeAnomalies(final String window) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new FrameEncoder().begin(buffer, 0, new SubscribeEncoder())
            .clientSeq(900).subscriptionId(7).topic(Topic.ANOMALY).filterKind(FilterKind.WINDOW).filter(window);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, subscribe));
    }

    @Test
    void pushesExactlyOneRateAlertWhenThePaymentFailureRateJumps() throws IOException {
        try (EngineGateway gateway = EngineGateway.start(engineConfig(), new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            final ClientConfig local = CredentialsFile.read(dir);
            client.send(Frames.logon(local.id, local.secret));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, client.readSkippingHeartbeats().templateId());
            client.send(subscribeAnomalies(WINDOW));

            final Random random = new Random(20_111_201L);
            final List<String> alerts = new ArrayList<>();
            long alertTime = 0;
            long seq = 0;
            for (int h = 0; h < HOURS; h++) {
                final double rate = h >= JUMP_HOUR && h < JUMP_HOUR + 4 ? 0.30 : 0.02;
                for (int i = 0; i < PER_HOUR; i++) {
                    final PaymentResult result = random.nextDouble() < rate
                        ? (random.nextBoolean() ? PaymentResult.DECLINED : PaymentResult.FAILED) : PaymentResult.AUTHORIZED;
                    client.send(payment(++seq, START + h * HOUR + i * (HOUR / PER_HOUR), result));
                    while (true) { // up to this payment's decision; pushes arrive before it
                        final TestClient.Frame frame = client.readSkippingHeartbeats();
                        if (frame.templateId() == DecisionDecoder.TEMPLATE_ID) {
                            break;
                        }
                        assertEquals(AnomalyAlertDecoder.TEMPLATE_ID, frame.templateId(), "only subscribed pushes arrive: " + frame
                            + (frame.templateId() == RejectDecoder.TEMPLATE_ID ? " " + frame.reject().reason() : ""));
                        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame.message(), 0);
                        final AnomalyAlertDecoder a = new AnomalyAlertDecoder()
                            .wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                        assertEquals(WINDOW, a.window());
                        assertEquals("rate(failed)", a.metric());
                        alertTime = a.eventTime();
                        final double observed = a.observed();
                        final double expected = a.expected();
                        final double score = a.score();
                        alerts.add(a.key() + " " + observed + " " + expected + " " + score + " " + a.text());
                        assertTrue(observed > 0.15 && expected < 0.05 && score > 3, alerts.toString());
                    }
                }
            }
            assertEquals(1, alerts.size(), alerts.toString());
            assertTrue(alertTime >= START + JUMP_HOUR * HOUR && alertTime < START + (JUMP_HOUR + 3) * HOUR,
                "within three intervals of the jump: " + alerts);
            assertTrue(alerts.get(0).startsWith("EUR "), alerts.get(0));
            assertTrue(alerts.get(0).contains("card_failures started: observed "), alerts.get(0));
            assertTrue(alerts.get(0).contains(" of 40) above band ["), alerts.get(0));
        }
    }

    /**
     * The decline rate end to end: the engine's own decisions (fraud on, the deny list declines the
     * user {@code mule-1}) counted by {@code count(declined)} of {@code decisions_by_merchant_1h}
     * through the pipeline; the denied share of shop-1's orders jumps from 0 to 30 % at hour 60.
     */
    @Test
    void pushesExactlyOneDeclineRateAlertWhenTheEnginesDeclinesJump() throws IOException {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.fraud.deny.users = new ArrayList<>(List.of("mule-1"));
        config.windows.add(new WindowConfig().name("decisions_by_merchant_1h").key("merchant").kind("tumbling").size("1h")
            .metrics("count", "count(declined)", "count(held)"));
        config.anomalies.add(new AnomalyMonitorConfig().name("shop_declines").window("decisions_by_merchant_1h").metric("rate(declined)")
            .detector(new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(24)));
        try (EngineGateway gateway = EngineGateway.start(config, new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            final ClientConfig local = CredentialsFile.read(dir);
            client.send(Frames.logon(local.id, local.secret));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, client.readSkippingHeartbeats().templateId());
            client.send(subscribeAnomalies("decisions_by_merchant_1h"));

            final List<String> alerts = new ArrayList<>();
            long alertTime = 0;
            long seq = 0;
            for (int h = 0; h < HOURS; h++) {
                for (int i = 0; i < PER_HOUR; i++) {
                    final boolean denied = h >= JUMP_HOUR && h < JUMP_HOUR + 4 && i % 10 < 3;
                    client.send(order(++seq, START + h * HOUR + i * (HOUR / PER_HOUR), denied));
                    while (true) {
                        final TestClient.Frame frame = client.readSkippingHeartbeats();
                        if (frame.templateId() == DecisionDecoder.TEMPLATE_ID) {
                            break;
                        }
                        assertEquals(AnomalyAlertDecoder.TEMPLATE_ID, frame.templateId(), "only subscribed pushes arrive: " + frame);
                        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame.message(), 0);
                        final AnomalyAlertDecoder a = new AnomalyAlertDecoder()
                            .wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                        assertEquals("rate(declined)", a.metric());
                        alertTime = a.eventTime();
                        alerts.add(a.key() + " " + a.observed() + " " + a.expected() + " " + a.text());
                    }
                }
            }
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(START + JUMP_HOUR * HOUR, alertTime, "the first hour of declines: " + alerts);
            assertTrue(alerts.get(0).startsWith("shop-1 0.3 0.0 shop_declines started: observed 30.0% (12 of 40) above band [0.0%, "),
                alerts.get(0));
        }
    }

    /**
     * The payment failure rate per merchant end to end: two shops' orders, each paid a minute later,
     * and a few payments an hour of orders the engine never saw (all failing, of no merchant);
     * shop-2's payments fail at 30 % for four hours from hour 60: exactly one alert, for shop-2.
     */
    @Test
    void pushesExactlyOneRateAlertForTheMerchantWhosePaymentsStartFailing() throws IOException {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.fraud.enabled = false;
        config.windows.add(new WindowConfig().name("payments_by_merchant_1h").key("merchant").kind("tumbling").size("1h")
            .events("payment").metrics("count", "count(attempts)", "count(failed)"));
        config.anomalies.add(new AnomalyMonitorConfig().name("merchant_failures").window("payments_by_merchant_1h").metric("rate(failed)")
            .detector(new AnomalyConfig().seasonLength(1).gamma(0.0).warmupSeasons(24)));
        try (EngineGateway gateway = EngineGateway.start(config, new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            final ClientConfig local = CredentialsFile.read(dir);
            client.send(Frames.logon(local.id, local.secret));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, client.readSkippingHeartbeats().templateId());
            client.send(subscribeAnomalies("payments_by_merchant_1h"));

            final Random random = new Random(20_111_203L);
            final List<String> alerts = new ArrayList<>();
            long seq = 0;
            for (int h = 0; h < HOURS; h++) {
                for (int i = 0; i < PER_HOUR; i++) {
                    final long t = START + h * HOUR + i * (HOUR / PER_HOUR);
                    for (int m = 1; m <= 2; m++) {
                        final String orderId = "o-" + h + "-" + i + "-" + m;
                        sendAndCollect(client, order(++seq, t + m, orderId, "shop-" + m), alerts);
                        final double rate = m == 2 && h >= JUMP_HOUR && h < JUMP_HOUR + 4 ? 0.30 : 0.02;
                        final PaymentResult result = random.nextDouble() < rate
                            ? (random.nextBoolean() ? PaymentResult.DECLINED : PaymentResult.FAILED) : PaymentResult.AUTHORIZED;
                        sendAndCollect(client, payment(++seq, t + m + 60_000_000L, orderId, result), alerts);
                    }
                    if (i % 10 == 5) {
                        sendAndCollect(client, payment(++seq, t + 3, "never-seen-" + seq, PaymentResult.FAILED), alerts);
                    }
                }
            }
            assertEquals(1, alerts.size(), alerts.toString());
            final String only = alerts.get(0);
            assertTrue(only.startsWith((START + JUMP_HOUR * HOUR) + " payments_by_merchant_1h rate(failed) shop-2 merchant_failures started: "
                + "observed ") || only.startsWith((START + (JUMP_HOUR + 1) * HOUR) + " payments_by_merchant_1h rate(failed) shop-2 "),
                "shop-2, within two intervals of the jump: " + only);
            assertTrue(only.contains(" of 40) above band ["), only);
        }
    }
}
