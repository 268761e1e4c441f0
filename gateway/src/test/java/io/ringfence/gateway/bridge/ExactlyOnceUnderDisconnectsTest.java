package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.Client;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly once under disconnects, end to end: a {@link GatewayClient} with {@code recoverAnswers}
 * sends orders as fast as its store allows to the engine behind the gateway, while a chaos thread
 * closes the client's session from the server side ({@code GatewayServer.disconnect}) at random
 * moments and, once half-way, stops the whole engine and gateway and starts them again on the same
 * data directory and port (the server recovers from the journal). At the end the journal holds every
 * order exactly once with client sequences 1..N, and the client has one decision per order; a
 * decision seen twice (the answer to a resend) must be byte-identical to the first.
 *
 * <p>N is {@code -Dringfence.test.exactlyOnce.orders}, by default the acceptance value 100,000
 * (about 9 s on 2 cores, with some 60 disconnects); always at least {@value #MIN_DISCONNECTS}
 * disconnects plus the restart.
 */
class ExactlyOnceUnderDisconnectsTest {
    private static final int ORDERS = Integer.getInteger("ringfence.test.exactlyOnce.orders", 100_000);
    private static final int MIN_DISCONNECTS = 10;
    private static final long START_MICROS = 1_767_225_600_000_000L;

    @TempDir
    Path dir;

    private final AtomicReference<EngineGateway> current = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> chaosErrors = new ConcurrentLinkedQueue<>();
    private volatile boolean sending = true;
    private volatile boolean restarted;

    /** The pipeline layout under test: combined (a stage thread) or inline (the stages on the gateway's I/O thread). */
    private String layout;

    private EngineConfig engineConfig() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.pipeline.layout = layout;
        return config;
    }

    private EngineGateway start(final int port) {
        return PortRestart.start(engineConfig(), dir, port);
    }

    @ParameterizedTest(name = "{0} layout")
    @ValueSource(strings = {"combined", "inline"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void journalsEveryOrderOnceAndAnswersEachWithIdenticalBytesDespiteDisconnectsAndARestart(final String pipelineLayout) throws Exception {
        layout = pipelineLayout;
        final long started = System.nanoTime();
        current.set(start(0));
        final int port = current.get().port();
        final ClientConfig local = CredentialsFile.read(dir);
        final Client client = current.get().clients().registry().find(local.id);
        assertNotNull(client);

        final DecisionTally answers = new DecisionTally(ORDERS);
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.recoverAnswers = true;
        clientConfig.unackedBufferBytes = 256 << 10; // ~500 orders in flight: many resends per disconnect, all within the answers the engine keeps
        clientConfig.maxFrameBytes = 64 << 10; // at most a quarter of the buffer; these orders are small
        clientConfig.reconnectBackoffMillis = 10;
        clientConfig.reconnectMaxBackoffMillis = 200;

        final Thread chaos = new Thread(() -> chaos(client.index(), port), "chaos");
        try (GatewayClient gatewayClient = GatewayClient.open(clientConfig, answers, "127.0.0.1", port, local.id, local.secret)) {
            chaos.start();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
            for (long i = 1; i <= ORDERS; i++) {
                final int length = order(buffer, i);
                final long seq = gatewayClient.send(buffer, 0, length, 30, TimeUnit.SECONDS);
                assertEquals(i, seq, "sequence assigned to order " + i + " (the client must not stop)");
                sent.set(i);
                if (i == ORDERS * 9L / 10) {
                    // the chaos thread has had its chances; make sure the run saw enough disconnects
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while ((disconnects.get() < MIN_DISCONNECTS || !restarted) && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(5_000_000L);
                    }
                }
            }
            sending = false;
            chaos.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(gatewayClient.awaitAcknowledged(30, TimeUnit.SECONDS), "every order answered; acked up to "
                + gatewayClient.acknowledgedSeq() + " of " + ORDERS);
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("exactly-once (" + layout + "): %,d orders in %,d ms: %d server-side disconnects + 1 restart, client reconnects %d,"
                    + " messages resent %,d, decisions %,d distinct, %,d repeated (identical bytes), rejects %d%n",
                ORDERS, elapsedMillis, disconnects.get(), gatewayClient.reconnects(), gatewayClient.resentMessages(),
                answers.distinct(), answers.duplicates(), answers.rejects.size());
        } finally {
            sending = false;
            chaos.join(TimeUnit.SECONDS.toMillis(10));
            final EngineGateway last = current.get();
            if (last != null) {
                last.close();
            }
        }

        assertTrue(chaosErrors.isEmpty(), () -> "chaos thread failed: " + chaosErrors);
        assertTrue(restarted, "the engine and gateway were restarted mid-run");
        assertTrue(disconnects.get() >= MIN_DISCONNECTS, "disconnects: " + disconnects.get());
        assertTrue(answers.rejects.isEmpty(), () -> "no order refused: " + answers.rejects);
        assertEquals(0, answers.mismatched.get(), "a repeated decision is byte-identical to the first");
        for (int i = 1; i <= ORDERS; i++) {
            if (answers.first[i] == null) {
                throw new AssertionError("order " + i + " got no decision (" + answers.distinct() + " of " + ORDERS + " did)");
            }
        }
        assertJournalHoldsEachOrderOnce(client.key());
    }

    /** Disconnects the client's session at random moments; half-way, restarts engine and gateway once. */
    private void chaos(final int clientIndex, final int port) {
        final Random random = new Random(7);
        try {
            while (sending) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(80)));
                if (!restarted && sent.get() >= ORDERS / 2) {
                    current.getAndSet(null).close();
                    current.set(start(port));
                    restarted = true;
                    continue;
                }
                final EngineGateway gateway = current.get();
                final long session = gateway.clients().liveSession(clientIndex);
                if (session != 0 && gateway.server().disconnect(session)) {
                    disconnects.incrementAndGet();
                }
            }
        } catch (final Throwable t) {
            chaosErrors.add(t);
        }
    }

    private void assertJournalHoldsEachOrderOnce(final long clientKey) {
        final byte[] seen = new byte[ORDERS + 1];
        final long[] records = new long[3];
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()); JournalReader reader = journal.reader()) {
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            while (reader.next((sequence, ingest, sourceId, clientSeq, payload, offset, length) -> {
                records[0]++;
                header.wrap(payload, offset);
                if (sourceId != clientKey || header.templateId() != OrderDecoder.TEMPLATE_ID || clientSeq < 1 || clientSeq > ORDERS) {
                    records[1]++;
                    return;
                }
                if (seen[(int) clientSeq]++ > 0) {
                    records[2]++;
                }
            })) {
                // reads to the end
            }
        }
        assertEquals(0, records[1], "only this client's orders 1..N are journaled");
        assertEquals(0, records[2], "no client sequence is journaled twice");
        assertEquals(ORDERS, records[0], "the journal holds exactly N orders");
        for (int i = 1; i <= ORDERS; i++) {
            assertEquals(1, seen[i], "clientSeq " + i + " journaled once");
        }
    }

    private static int order(final UnsafeBuffer buffer, final long i) {
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(0).eventTime(START_MICROS + i * 10_000L).orderId("o-" + i).userId("u-" + (i % 97))
            .merchantId("m-1").amount(1_000 + i % 500).currency("EUR").country("DE").ip("10.0.0.1")
            .deviceId("d-" + (i % 31)).instrumentId("card-" + (i % 53)).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku("sku-" + (i % 100)).qty(1).unitPrice(1_000 + i % 500).category("cat");
        return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
    }
}
