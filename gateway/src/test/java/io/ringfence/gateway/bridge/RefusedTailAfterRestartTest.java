package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.client.ClientDisconnectReason;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refused message is not journaled, so a server restarted from its journal alone (after a kill -9, or
 * from a replica's snapshot) no longer knows it was refused and expects its client sequence next. The
 * Java client numbers on by itself past a refusal: its Logon says the last sequence it holds an answer
 * for (schema version 6), and the server takes the ones it forgot as refused. Before, the client kept
 * the refused tail and resent it to be refused again: a tail longer than it kept stopped the client
 * with SEQUENCE_GAP, and a message refused for a limit of the configuration raised at the restart was
 * journaled after the client was told "refused". Here the restart is one without snapshots, which
 * forgets refusals exactly as a kill -9 does.
 */
class RefusedTailAfterRestartTest {
    private static final long START_MICROS = 1_767_225_600_000_000L;

    @TempDir
    Path dir;

    private EngineGateway start(final int port) {
        return start(port, EngineConfigLoader.defaults().input.maxEventBytes);
    }

    private EngineGateway start(final int port, final int maxEventBytes) {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.input.maxEventBytes = maxEventBytes;
        config.pipeline.waitStrategy = "blocking";
        config.fraud.enabled = false;
        config.snapshot.enabled = false; // every start rebuilds from the journal, which holds no refusals
        return PortRestart.start(config, dir, port);
    }

    @ParameterizedTest(name = "recoverAnswers {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendsOnAfterARefusalTheRestartedServerForgot(final boolean recoverAnswers) throws Exception {
        final Answers answers = new Answers();
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.recoverAnswers = recoverAnswers;
        clientConfig.reconnectBackoffMillis = 10;
        clientConfig.reconnectMaxBackoffMillis = 100;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        EngineGateway gateway = start(0);
        final int port = gateway.port();
        final ClientConfig local = CredentialsFile.read(dir);
        try (GatewayClient client = GatewayClient.open(clientConfig, answers, "127.0.0.1", port, local.id, local.secret)) {
            assertEquals(1, client.send(buffer, 0, order(buffer, 1, 1_000)));
            assertEquals(2, client.send(buffer, 0, order(buffer, 2, -5)));
            assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS), "1 decided, 2 refused");
            assertEquals(List.of(1L), answers.decisions);
            assertEquals(List.of(2L), answers.refusals, "2 refused: " + answers.reasons);
            assertEquals(2, client.acknowledgedSeq(), "a refusal answers its message");

            gateway.close();
            gateway = start(port);
            assertEquals(1, gateway.engine().journal().lastSequence(), "the journal holds order 1 only");
            await(() -> answers.logons >= 2, "the client logged on again");

            assertEquals(3, client.send(buffer, 0, order(buffer, 3, 1_000)));
            await(() -> answers.decisions.contains(3L) || client.isStopped(), "3 decided");
            assertFalse(client.isStopped(), "the client stopped: " + answers.disconnects);
            assertEquals(List.of(1L, 3L), answers.decisions);
            assertEquals(List.of(2L), answers.refusals, "2 refused once, not resent: " + answers.reasons);
            assertEquals(List.of(), answers.gaps, "no sequence gap");
            assertEquals(2, gateway.engine().journal().lastSequence(), "orders 1 and 3 journaled, nothing for 2");
            assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS));
            assertEquals(0, client.unacknowledgedBytes());
        } finally {
            gateway.close();
        }
    }

    /**
     * Third review (HIGH): an order refused TOO_LARGE by input.maxEventBytes was kept in the refused tail; the server
     * restarted with a larger limit journaled and decided it at the resend, while the client had told its application
     * "refused" and took the new answers as repeats. Now nothing is resent, and the order is never journaled.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverJournalsAMessageRefusedForALimitTheRestartRaised() throws Exception {
        final Answers answers = new Answers();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
        EngineGateway gateway = start(0, 1024);
        final int port = gateway.port();
        final ClientConfig local = CredentialsFile.read(dir);
        try (GatewayClient client = GatewayClient.open(reconnecting(), answers, "127.0.0.1", port, local.id, local.secret)) {
            assertEquals(1, client.send(buffer, 0, order(buffer, 1, 1_000)));
            assertEquals(2, client.send(buffer, 0, order(buffer, 2, 1_000, 20))); // 20 items: over 1,024 bytes
            assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS), "answered: " + answers.reasons + answers.decisions
                + answers.disconnects);
            assertEquals(List.of(2L), answers.tooLarge, "2 refused as too large: " + answers.reasons);

            gateway.close();
            gateway = start(port, 1 << 18);
            await(() -> answers.logons >= 2, "the client logged on again");
            assertEquals(3, client.send(buffer, 0, order(buffer, 3, 1_000)));
            await(() -> answers.decisions.contains(3L) || client.isStopped(), "3 decided");
            assertFalse(client.isStopped(), "the client stopped: " + answers.disconnects);
            assertEquals(List.of(1L, 3L), answers.decisions, "2 never decided: " + answers.reasons);
            assertEquals(List.of(2L), answers.tooLarge);
            assertEquals(2, gateway.engine().journal().lastSequence(), "orders 1 and 3 journaled, never 2");
        } finally {
            gateway.close();
        }
    }

    /** Review: a restart with a lowered input.maxEventBytes stopped with "message of 4503 bytes is outside 1..4096". */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void namesTheSettingWhenTheJournalHoldsAnEventOverALoweredLimit() throws Exception {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
        final EngineGateway gateway = start(0, 1 << 18);
        final int port = gateway.port();
        final ClientConfig local = CredentialsFile.read(dir);
        final int length = order(buffer, 1, 1_000, 20);
        try (GatewayClient client = GatewayClient.open(reconnecting(), new Answers(), "127.0.0.1", port, local.id, local.secret)) {
            assertEquals(1, client.send(buffer, 0, length));
            assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS));
        } finally {
            gateway.close();
        }
        final RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> start(port, 1024).close());
        assertTrue(String.valueOf(e.getMessage()).contains("the journal's event at sequence 1 is " + length
            + " bytes, more than input.maxEventBytes 1024"), e::toString);
        assertTrue(e.getMessage().contains("set input.maxEventBytes to at least " + length), e.getMessage());
    }

    /** Before: the client kept at most 64 refused messages; after more, a restart that forgot them stopped it (SEQUENCE_GAP). */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendsOnAfterMoreRefusalsThanTheOldTailKept() throws Exception {
        final Answers answers = new Answers();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        EngineGateway gateway = start(0);
        final int port = gateway.port();
        final ClientConfig local = CredentialsFile.read(dir);
        try (GatewayClient client = GatewayClient.open(reconnecting(), answers, "127.0.0.1", port, local.id, local.secret)) {
            assertEquals(1, client.send(buffer, 0, order(buffer, 1, 1_000)));
            for (int i = 2; i <= 101; i++) {
                assertEquals(i, client.send(buffer, 0, order(buffer, i, -5)));
            }
            assertTrue(client.awaitAcknowledged(10, TimeUnit.SECONDS));
            assertEquals(100, answers.refusals.size());

            gateway.close();
            gateway = start(port);
            await(() -> answers.logons >= 2, "the client logged on again");
            assertEquals(102, client.send(buffer, 0, order(buffer, 102, 1_000)));
            await(() -> answers.decisions.contains(102L) || client.isStopped(), "102 decided");
            assertFalse(client.isStopped(), "the client stopped: " + answers.disconnects);
            assertEquals(List.of(), answers.gaps, "no sequence gap");
            assertEquals(100, answers.refusals.size(), "none resent");
            assertEquals(2, gateway.engine().journal().lastSequence());
        } finally {
            gateway.close();
        }
    }

    /**
     * A process going on with an earlier one's messages (load --resume) starts past the refusals it holds after what the
     * server journaled; a reconnect before anything new is journaled goes on (second review: the client stopped with
     * "MESSAGES_LOST: the server has journaled only up to clientSeq 1 but already answered clientSeq 4 as journaled").
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void goesOnPastTheRefusalsAnEarlierProcessHeldAcrossAReconnect() throws Exception {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        EngineGateway gateway = start(0);
        final int port = gateway.port();
        final ClientConfig local = CredentialsFile.read(dir);
        try (GatewayClient earlier = GatewayClient.open(reconnecting(), new Answers(), "127.0.0.1", port, local.id, local.secret)) {
            assertEquals(1, earlier.send(buffer, 0, order(buffer, 1, 1_000)));
            for (int i = 2; i <= 4; i++) {
                assertEquals(i, earlier.send(buffer, 0, order(buffer, i, -5)));
            }
            assertTrue(earlier.awaitAcknowledged(10, TimeUnit.SECONDS));
        }
        gateway.close();
        gateway = start(port); // the refusals of 2..4 forgotten
        final Answers answers = new Answers();
        final GatewayClient client = new GatewayClient(reconnecting(), answers);
        try (client) {
            client.connect("127.0.0.1", port);
            client.logon(local.id, local.secret, 5, 4, seq -> seq <= 1);
            assertEquals(4, client.lastAssignedSeq(), "numbering goes on after the refusals held");
            gateway.close();
            gateway = start(port); // a reconnect before anything new is journaled
            await(() -> answers.logons >= 2 || client.isStopped(), "the client logged on again");
            assertEquals(5, client.send(buffer, 0, order(buffer, 5, 1_000)));
            await(() -> answers.decisions.contains(5L) || client.isStopped(), "5 decided");
            assertFalse(client.isStopped(), "the client stopped: " + answers.disconnects);
            assertEquals(2, gateway.engine().journal().lastSequence(), "orders 1 and 5, none of 2..4");
        } finally {
            gateway.close();
        }
    }

    private static GatewayClientConfig reconnecting() {
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.reconnectBackoffMillis = 10;
        clientConfig.reconnectMaxBackoffMillis = 100;
        return clientConfig;
    }

    private static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private static int order(final UnsafeBuffer buffer, final long i, final long amount) {
        return order(buffer, i, amount, 1);
    }

    private static int order(final UnsafeBuffer buffer, final long i, final long amount, final int items) {
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .clientSeq(0).eventTime(START_MICROS + i * 10_000L).orderId("o-" + i).userId("u-1")
            .merchantId("m-1").amount(amount).currency("EUR").country("DE").ip("10.0.0.1")
            .deviceId("d-1").instrumentId("card-1").channel(Channel.WEB).label((byte) -1);
        final OrderEncoder.ItemsEncoder lines = order.itemsCount(items);
        for (int k = 0; k < items; k++) {
            lines.next().sku("sku-" + k).qty(1).unitPrice(amount / items).category("cat");
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
    }

    /** What the client reported, from its I/O thread. */
    private static final class Answers implements ClientListener {
        final List<Long> decisions = new CopyOnWriteArrayList<>();
        final List<Long> refusals = new CopyOnWriteArrayList<>();
        final List<Long> tooLarge = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final List<Long> gaps = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();
        volatile int logons;

        @Override
        public void onLogon(final io.ringfence.sbe.LogonAckDecoder ack) {
            logons++;
        }

        @Override
        public void onDecision(final DecisionDecoder decision) {
            decisions.add(decision.clientSeq());
        }

        @Override
        public void onReject(final RejectDecoder reject) {
            final long clientSeq = reject.clientSeq();
            final RejectCode code = reject.code();
            final String reason = reject.reason();
            if (code == RejectCode.SEQUENCE_GAP) {
                gaps.add(clientSeq);
            } else if (code == RejectCode.BAD_VALUE) {
                refusals.add(clientSeq);
            } else if (code == RejectCode.TOO_LARGE) {
                tooLarge.add(clientSeq);
            }
            reasons.add(clientSeq + " " + code + ": " + reason);
        }

        @Override
        public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
            disconnects.add(reason + " " + detail + (reconnecting ? " (reconnecting)" : ""));
        }
    }
}
