package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading while events flow: it logs on with a small receive buffer,
 * subscribes to every topic (window results of a one-minute per-user window arrive about once per
 * event) and never reads again. The gateway disconnects it as a slow consumer once its bounded
 * outbound buffer overflows, counted as such; the submitting session's answers keep flowing (every
 * event answered, before and after the disconnect); and memory stays bounded: heap after GC does not
 * grow with the event count, and the direct memory held (where outbound buffers live) stays small.
 *
 * <p>The event count is {@code -Dringfence.test.slowConsumer.events}: the acceptance value is
 * 1,000,000 (about a minute on 2 cores); CI runs 100,000.
 */
class SlowConsumerUnderLoadTest {
    private static final int EVENTS = Integer.getInteger("ringfence.test.slowConsumer.events", 100_000);
    private static final long START_MICROS = 1_767_225_600_000_000L;
    private static final String SHOP_SECRET = "shop-secret-0123456789abcdef";
    private static final String MONITOR_SECRET = "monitor-secret-0123456789abcdef";
    private static final long MAX_HEAP_GROWTH_BYTES = 64L << 20;
    private static final long MAX_DIRECT_BYTES = 64L << 20;
    /**
     * The stalled subscriber's SO_RCVBUF: small next to the gateway's 1 MiB buffer, but not tiny.
     * With 1 KiB, Linux bounds the loopback MSS to half the peer's largest window (576 bytes) and the
     * receiver then advertises 574: less than one segment, so after the gateway has closed the
     * connection the megabyte or so still in its socket send queue goes out one persist-timer probe
     * at a time (~2.3 KB/s, seen with ss: FIN-WAIT-1, snd_wnd 574, mss 576, timer persist), and
     * draining it took longer than the test's 5-minute timeout. That was the "hang".
     */
    private static final int MONITOR_RECEIVE_BUFFER = 64 * 1024;
    /** How long reading what was in flight may take; at loopback speed it is milliseconds. */
    private static final long DRAIN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void disconnectsASubscriberThatStopsReadingWhileTheSubmitterIsAnsweredAndMemoryStaysBounded() throws Exception {
        final EngineConfig engineConfig = EngineConfigLoader.defaults();
        engineConfig.pipeline.waitStrategy = "blocking";
        engineConfig.windows.add(new WindowConfig().name("user_1m").key("user").kind("tumbling").size("1m")
            .lateness("0s").metrics("count", "sum(amount)"));
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.port = 0;
        gatewayConfig.admin.enabled = false;
        gatewayConfig.idleTimeout = "5m"; // the stalled subscriber sends nothing either: it must go for being slow, not idle
        gatewayConfig.clients = List.of(new ClientConfig("shop", SHOP_SECRET, List.of("SUBMIT")),
            new ClientConfig("monitor", MONITOR_SECRET, List.of("SUBSCRIBE")));
        final long started = System.nanoTime();

        try (EngineGateway gateway = EngineGateway.start(engineConfig, gatewayConfig, dir, new SbeEventValidator(1 << 16));
             TestClient monitor = TestClient.connect(gateway.port(), MONITOR_RECEIVE_BUFFER)) {
            monitor.send(Frames.logon("monitor", MONITOR_SECRET));
            assertEquals(LogonAckDecoder.TEMPLATE_ID, monitor.readSkippingHeartbeats().templateId());
            long subscription = 1;
            for (final Topic topic : new Topic[] {Topic.WINDOW_RESULT, Topic.ORDER_STATUS, Topic.STOCK, Topic.FRAUD_ALERT,
                Topic.ANOMALY, Topic.TRENDING}) {
                monitor.send(subscribe(subscription++, topic));
            }
            // ... and from here on the monitor never reads

            final Answers answers = new Answers(EVENTS);
            long answeredAtDisconnect = -1;
            long sentAtDisconnect = -1;
            long heapEarly = -1;
            try (GatewayClient shop = GatewayClient.open(shopConfig(), answers, "127.0.0.1", gateway.port(),
                "shop", SHOP_SECRET)) {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
                for (long i = 1; i <= EVENTS; i++) {
                    assertEquals(i, shop.send(buffer, 0, order(buffer, i), 30, TimeUnit.SECONDS), "order " + i + " sent");
                    if (sentAtDisconnect < 0 && gateway.counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS) > 0) {
                        sentAtDisconnect = i;
                        answeredAtDisconnect = answers.distinct.get();
                    }
                    if (i == EVENTS / 10) {
                        heapEarly = usedHeapAfterGc();
                    }
                }
                assertTrue(shop.awaitAcknowledged(60, TimeUnit.SECONDS), "every order answered");
                assertTrue(shop.isLoggedOn(), "the submitting session was never dropped");
                assertEquals(0, shop.reconnects(), "the submitting session was never dropped");
            }
            final long heapEnd = usedHeapAfterGc();
            final long direct = directBytes();
            final long slowDisconnects = gateway.counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS);
            final long subscriptionsLeft = gateway.sink().subscriptionCount();
            final String gatewayState = gateway.counters() + ", pushes queued " + gateway.sink().pushesSent()
                + ", subscriptions left " + subscriptionsLeft;
            final long drainStarted = System.nanoTime();
            final MonitorStream stream = drain(monitor, drainStarted + DRAIN_DEADLINE_NANOS);
            final long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted);
            System.out.printf("slow consumer: %,d orders in %,d ms; subscriber disconnected as slow consumer after %,d sent"
                    + " (%,d answered), read afterwards in %,d ms: %,d window results then %s; heap after GC %,d MiB at 10%%"
                    + " and %,d MiB at the end; direct buffers %,d MiB; subscriptions left %d%n",
                EVENTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), sentAtDisconnect, answeredAtDisconnect,
                drainMillis, stream.windowResults, stream.last, heapEarly >> 20, heapEnd >> 20, direct >> 20, subscriptionsLeft);

            assertEquals(1, slowDisconnects, "the subscriber was disconnected as a slow consumer, once; it read " + stream.last
                + "; gateway: " + gatewayState);
            assertTrue(sentAtDisconnect > 0 && sentAtDisconnect < EVENTS, "it happened during the run: " + sentAtDisconnect);
            assertTrue(stream.windowResults > 0, "it got pushes before it stopped reading; it read " + stream.last
                + "; gateway: " + gatewayState);
            assertTrue(stream.endOfStream, "the gateway closed its connection; it read " + stream.last + "; gateway: " + gatewayState);
            assertEquals(0, subscriptionsLeft, "its subscriptions were dropped with the session");
            assertEquals(EVENTS, answers.distinct.get(), "every order of the submitting session answered");
            assertEquals(0, answers.rejects.get(), "no order refused");
            assertTrue(heapEnd - heapEarly < MAX_HEAP_GROWTH_BYTES, "heap after GC grew by " + ((heapEnd - heapEarly) >> 20)
                + " MiB from 10% to 100% of the events");
            assertTrue(direct < MAX_DIRECT_BYTES, "direct buffers hold " + (direct >> 20) + " MiB");
        }
    }

    /**
     * The shop keeps at most 1 MiB of orders unacknowledged (about 2,700), so the answers it can be
     * owed (about 215 bytes each, some 600 KB) always fit its 1 MiB outbound buffer at the gateway.
     * With the default 4 MiB (about 10,700 orders, 2.3 MB of answers) a shop whose reading thread is
     * starved of CPU for a moment is itself disconnected as a slow consumer: reproduced 2 runs in 8
     * with both cores busy, which is not what this test is about.
     */
    private static GatewayClientConfig shopConfig() {
        final GatewayClientConfig config = new GatewayClientConfig();
        config.unackedBufferBytes = 1 << 20;
        return config;
    }

    /** What the stalled subscriber finds when it finally reads: the pushes queued before the overflow, then the end. */
    private record MonitorStream(long windowResults, String last, boolean endOfStream) {
    }

    /**
     * Reads until the end of the stream, or gives up at the deadline. Heartbeats before the first
     * push are normal (the gateway sends one a second while nothing is queued, and the engine may
     * take seconds to warm up on a busy machine); three in a row after a push (or 60 with none)
     * mean the session is still open and drained. A reset counts as the end too: the kernel may
     * abort a closed connection whose peer has not read for long.
     */
    private static MonitorStream drain(final TestClient monitor, final long deadlineNanos) throws IOException {
        long windowResults = 0;
        String last = "nothing";
        int heartbeatsInARow = 0;
        boolean pushed = false;
        while (true) {
            if (System.nanoTime() - deadlineNanos > 0) {
                return new MonitorStream(windowResults, last + ", still reading at the drain deadline", false);
            }
            final TestClient.Frame frame;
            try {
                frame = monitor.read();
            } catch (final EOFException | SocketException e) {
                return new MonitorStream(windowResults, last + ", end of stream (" + e.getClass().getSimpleName() + ")", true);
            }
            if (frame.templateId() == HeartbeatDecoder.TEMPLATE_ID) {
                // warm-up heartbeats are bounded too: 60 with no push at all means it was never sent any
                if (++heartbeatsInARow == (pushed ? 3 : 60)) {
                    // nothing but heartbeats: the gateway kept the session open (the asserts after say so)
                    return new MonitorStream(windowResults, last + ", then only heartbeats", false);
                }
                continue;
            }
            heartbeatsInARow = 0;
            pushed = true;
            if (frame.templateId() == WindowResultDecoder.TEMPLATE_ID) {
                windowResults++;
                last = "a window result";
            } else if (frame.templateId() == RejectDecoder.TEMPLATE_ID) {
                final RejectCode code = frame.reject().code();
                last = "Reject " + code;
                assertEquals(RejectCode.SLOW_CONSUMER, code, "the only reject it can get");
            } else {
                last = "template " + frame.templateId();
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> "direct".equals(pool.getName())).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static byte[] subscribe(final long subscriptionId, final Topic topic) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new FrameEncoder().begin(buffer, 0, new SubscribeEncoder())
            .clientSeq(0).subscriptionId(subscriptionId).topic(topic).filterKind(FilterKind.ALL).filter("");
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, subscribe));
    }

    /** Orders over a bounded set of users, devices and cards, event time 2 s apart: a user_1m result about every event. */
    private static int order(final UnsafeBuffer buffer, final long i) {
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(0).eventTime(START_MICROS + i * 2_000_000L).orderId("o-" + (i % 10_000)).userId("u-" + (i % 211))
            .merchantId("m-" + (i % 7)).amount(1_000 + i % 500).currency("EUR").country("DE").ip("10.0.0." + (i % 200))
            .deviceId("d-" + (i % 31)).instrumentId("card-" + (i % 53)).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku("sku-" + (i % 100)).qty(1).unitPrice(1_000 + i % 500).category("cat");
        return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
    }

    /** Counts the submitter's distinct decisions (I/O thread). */
    private static final class Answers implements ClientListener {
        final byte[] seen;
        final AtomicLong distinct = new AtomicLong();
        final AtomicLong rejects = new AtomicLong();

        Answers(final int events) {
            seen = new byte[events + 1];
        }

        @Override
        public void onDecision(final DecisionDecoder decision) {
            final long seq = decision.clientSeq();
            if (seq > 0 && seq < seen.length && seen[(int) seq]++ == 0) {
                distinct.incrementAndGet();
            }
        }

        @Override
        public void onReject(final RejectDecoder reject) {
            rejects.incrementAndGet();
        }
    }
}
