package io.ringfence.gateway.bridge;

import io.ringfence.engine.anomaly.AnomalyConfig;
import io.ringfence.engine.anomaly.AnomalyMonitorConfig;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderEncoder;
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
 * Anomaly alerts end to end: the engine with an {@code anomalies:} monitor on the default
 * {@code gmv_by_country_1h} window behind the real gateway, a client over loopback that sends ten
 * days of seeded hourly orders of one country with one hour at five times its orders, and
 * subscribes to ANOMALY pushes of that window: exactly one {@code AnomalyAlert} (the anomaly's
 * start) arrives, for that hour.
 */
class AnomalyAlertPushTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long START = 1_322_697_600_000_000L; // 2011-12-01T00:00Z
    private static final int DAYS = 10;
    private static final int SPIKE_HOUR = 8 * 24 + 13;

    @TempDir
    Path dir;

    private static EngineConfig engineConfig() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.fraud.enabled = false; // answers are not the subject here
        config.anomalies.add(new AnomalyMonitorConfig().name("orders_by_country").window("gmv_by_country_1h").metric("count")
            .detector(new AnomalyConfig().seasonLength(24).warmupSeasons(2)));
        return config;
    }

    private static byte[] order(final long clientSeq, final long eventTime) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq).eventTime(eventTime).orderId("o-" + clientSeq).userId("u-" + (clientSeq % 31))
            .merchantId("m-1").amount(1_000 + clientSeq % 500).currency("EUR").country("DE").ip("10.0.0.1")
            .deviceId("d-" + (clientSeq % 29)).instrumentId("card-" + (clientSeq % 23)).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku("sku-1").qty(1).unitPrice(1_000 + clientSeq % 500).category("cat");
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, order));
    }

    private static byte[] subscribeAnomalies(final String window) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new FrameEncoder().begin(buffer, 0, new SubscribeEncoder())
            .clientSeq(900).subscriptionId(7).topic(Topic.ANOMALY).filterKind(FilterKind.WINDOW).filter(window);
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, subscribe));
    }

    /** Event times of the orders: per hour 8 + 6·sin(day phase) ± 1 (seeded), none 01:00-05:59, the spike hour × 5. */
    private static List<Long> times() {
        final Random random = new Random(20_111_201L);
        final List<Long> times = new ArrayList<>();
        for (int h = 0; h < DAYS * 24; h++) {
            final int hourOfDay = h % 24;
            int n = hourOfDay >= 1 && hourOfDay <= 5 ? 0 : (int) Math.round(8 + 6 * Math.sin(2 * Math.PI * hourOfDay / 24.0)) + random.nextInt(3) - 1;
            if (h == SPIKE_HOUR) {
                n *= 5;
            }
            for (int i = 0; i < n; i++) {
                times.add(START + h * HOUR + i * (HOUR / n));
            }
        }
        return times;
    }

    @Test
    void pushesExactlyOneAnomalyAlertForAnInjectedSpikeToAnAnomalySubscriber() throws IOException {
        try (EngineGateway gateway = EngineGateway.start(engineConfig(), new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            final ClientConfig local = CredentialsFile.read(dir);
            client.send(Frames.logon(local.id, local.secret));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, client.readSkippingHeartbeats().templateId());
            client.send(subscribeAnomalies("gmv_by_country_1h"));

            final List<Long> times = times();
            final List<String> alerts = new ArrayList<>();
            long alertTime = 0;
            for (int i = 0; i < times.size(); i++) {
                client.send(order(i + 1, times.get(i)));
                while (true) { // up to this order's decision; pushes arrive before it
                    final TestClient.Frame frame = client.readSkippingHeartbeats();
                    if (frame.templateId() == DecisionDecoder.TEMPLATE_ID) {
                        break;
                    }
                    assertEquals(AnomalyAlertDecoder.TEMPLATE_ID, frame.templateId(), "only subscribed pushes arrive: " + frame
                        + (frame.templateId() == RejectDecoder.TEMPLATE_ID ? " " + frame.reject().reason() : ""));
                    final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame.message(), 0);
                    final AnomalyAlertDecoder a = new AnomalyAlertDecoder()
                        .wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                    assertEquals("gmv_by_country_1h", a.window());
                    assertEquals("count", a.metric());
                    alertTime = a.eventTime();
                    final double observed = a.observed();
                    final double expected = a.expected();
                    final double score = a.score();
                    alerts.add(a.key() + " " + observed + " " + expected + " " + score + " " + a.text());
                }
            }
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(START + SPIKE_HOUR * HOUR, alertTime, "the spike hour's start");
            assertTrue(alerts.get(0).startsWith("DE "), alerts.get(0));
            assertTrue(alerts.get(0).contains("orders_by_country started: observed "), alerts.get(0));
            assertTrue(alerts.get(0).contains(" above band ["), alerts.get(0));
        }
    }
}
