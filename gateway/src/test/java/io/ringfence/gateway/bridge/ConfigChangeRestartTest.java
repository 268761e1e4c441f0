package io.ringfence.gateway.bridge;

import io.ringfence.engine.PriorConfiguration;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server restarted under another configuration rebuilds its business state by re-deciding the journal under the
 * new rules, but what its clients were sent stays what they were sent (trial 2026-12-04: a resend was answered
 * with the new rules' decision, and a returning subscriber was caught up on a fraud alert the new rules made for an
 * order the shop had been told was approved, and never got the real alert). Orders of u-x, u-bad, u-x under a
 * deny list of u-x; restarted with a deny list of u-bad.
 */
class ConfigChangeRestartTest {
    private static final long START = 1_767_225_600_000_000L;

    @TempDir
    Path dir;

    /** Where a test copies {@link #dir} as a kill -9 would leave it; removed with the test (a sibling of dir was not). */
    @TempDir
    Path spare;

    private static EngineConfig config(final String denied, final String writer) {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.snapshot.writer = writer;
        config.fraud.deny.users = List.of(denied);
        return config;
    }

    private EngineGateway start(final String denied, final String writer) {
        return EngineGateway.start(config(denied, writer), new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
    }

    /**
     * Snapshots by the engine or by a replica; the second start under the new configuration goes from the snapshot the
     * first one wrote under it (review: a replica's twin never got what was sent, and its snapshot kept that).
     */
    @ParameterizedTest(name = "snapshots by the {0}")
    @ValueSource(strings = {"engine", "replica"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void answersAResendAndCatchesUpASubscriberWithWhatWasSentNotWithTheNewRules(final String writer) throws Exception {
        final byte[][] decisions = new byte[4][];
        try (EngineGateway gateway = start("u-x", writer); TestClient client = TestClient.connect(gateway.port())) {
            logOn(client);
            final String[] users = {null, "u-x", "u-bad", "u-x"};
            for (int i = 1; i <= 3; i++) {
                client.send(order(i, users[i]));
                decisions[i] = bytes(client.readSkippingHeartbeats());
            }
            assertEquals(Outcome.APPROVE, decision(decisions[2]).outcome(), "u-bad is not denied yet");
            assertEquals(Outcome.DECLINE, decision(decisions[3]).outcome(), "u-x is");
        } // a clean stop: its snapshot holds the answers and the pushes, under the old configuration

        final long restartedState;
        try (EngineGateway gateway = start("u-bad", writer); TestClient client = TestClient.connect(gateway.port())) {
            assertEquals(3, logOn(client));
            client.send(order(2, "u-bad"));
            assertArrayEquals(decisions[2], bytes(client.readSkippingHeartbeats()), "the answer it was given: APPROVE");
            restartedState = gateway.engine().logic().stateHash(); // idle: the resend was answered from the store
        } // stopped again: now a snapshot under the new configuration holds what was sent
        // and the business state is the journal's under the new configuration (audit: nothing here looked at the state;
        // a deny list changes no state, so a snapshot of the old configuration is refused by SnapshotRecoveryTest's cases)
        final EngineConfig replayOnly = config("u-bad", "engine");
        replayOnly.snapshot.enabled = false;
        final io.ringfence.engine.pipeline.OutputSink ignore = (seq, source, clientSeq, buffer, offset, length) -> { };
        try (io.ringfence.engine.Engine clean = io.ringfence.engine.Engine.recovered(replayOnly, dir, ignore,
                (s, i, src, c, b, o, l) -> { }, ignore)) {
            assertEquals(clean.logic().stateHash(), restartedState, "state after the changed-configuration start = the journal under it");
        }

        try (EngineGateway gateway = start("u-bad", writer)) {
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(3, logOn(client));
                client.send(order(2, "u-bad")); // its answer lost in transit: sent again
                assertArrayEquals(decisions[2], bytes(client.readSkippingHeartbeats()), "the answer it was given: APPROVE");
            }

            // a subscriber that saw seq 1's alert, then went away: the alert it missed is o-3's, not one for o-2
            assertEquals(List.of("3:u-x"), alertsAfter(1, gateway.port()), "the alert that was pushed while it was away");

            // and what comes now is decided under the new rules (audit: no event after a restart was ever decided here)
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(3, logOn(client));
                client.send(order(4, "u-bad"));
                assertEquals(Outcome.DECLINE, decision(bytes(client.readSkippingHeartbeats())).outcome(), "u-bad is denied now");
                client.send(order(5, "u-x"));
                assertEquals(Outcome.APPROVE, decision(bytes(client.readSkippingHeartbeats())).outcome(), "u-x no longer is");
            }
        }
    }

    /**
     * SRE upgrade trial (HIGH): a snapshot of an older business format (an older build's, under the same settings) was set
     * aside before its output section was read, so the output side was rebuilt by re-deciding the journal under the new
     * build's rules: a returning subscriber was caught up on pushes that were never sent, and a resend would get the new
     * rules' answer. The older build's other rules are stood in for by another deny list, the snapshot's header naming
     * this start's settings and its business section an older format, as the older build's would after an upgrade.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keepsWhatWasSentFromASnapshotOfAnOlderBusinessFormat() throws Exception {
        final byte[][] decisions = decideThreeDenyingUx();
        final EngineConfig next = config("u-bad", "engine");
        final byte[] nextDigest = io.ringfence.engine.snapshot.ConfigDigest.of(next,
                io.ringfence.engine.BusinessSpec.of(next).fraud().model());
        final Path snapshots = dir.resolve("snapshots");
        for (final Path p : io.ringfence.journal.snapshot.SnapshotStore.listIn(snapshots)) {
            final io.ringfence.journal.snapshot.SnapshotFile f = io.ringfence.journal.snapshot.SnapshotStore.read(p);
            final java.nio.ByteBuffer content = java.nio.ByteBuffer.allocate(f.content().remaining());
            content.put(f.content().duplicate()).flip();
            content.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 0x42555347); // "BUSG", the format before
            java.nio.file.Files.delete(p);
            new io.ringfence.journal.snapshot.SnapshotStore(snapshots, 10).write(f.sequence(), nextDigest, f.record(), content, null);
        }
        try (EngineGateway gateway = start("u-bad", "engine")) {
            assertEquals(List.of("3:u-x"), alertsAfter(1, gateway.port()), "the alert that was pushed, none for o-2");
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(3, logOn(client));
                client.send(order(2, "u-bad"));
                assertArrayEquals(decisions[2], bytes(client.readSkippingHeartbeats()), "the answer it was given: APPROVE");
            }
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(snapshots)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().contains(".unreadable")), "set aside, once read");
        }
    }

    /**
     * Review: a start under the new configuration writes snapshots while it re-decides the journal (here after every
     * event), each holding the output side as of what was sent, a later sequence than its own; once the old
     * configuration's snapshot is gone, the next start goes from one of those and must not feed the events between
     * again (they overwrote the answers and appended re-decided pushes after later ones).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void goesOnFromASnapshotThatHoldsTheOutputSideBeyondItsOwnSequence() throws Exception {
        final byte[][] decisions = decideThreeDenyingUx();
        final EngineConfig everyEvent = config("u-bad", "engine");
        everyEvent.snapshot.everyEvents = 1;
        EngineGateway.start(everyEvent, new GatewayConfig(), dir, new SbeEventValidator(1 << 16)).close();
        // the snapshot at 3 (now of the new configuration) goes: the newest left is the one at 2
        java.nio.file.Files.delete(dir.resolve("snapshots").resolve("snapshot-00000000000000000003.snap"));
        try (EngineGateway gateway = start("u-bad", "engine"); TestClient client = TestClient.connect(gateway.port())) {
            assertEquals(2, gateway.engine().restoredSequence(), "went on from the snapshot at 2");
            assertEquals(3, logOn(client));
            client.send(order(3, "u-x"));
            assertArrayEquals(decisions[3], bytes(client.readSkippingHeartbeats()), "the answer it was given: DECLINE");
        }
    }

    /**
     * Review of 42aa8a30: the older configuration's first snapshot of a recent day is kept now (explain starts there); one
     * above the snapshot a start goes on from, but below what that snapshot's output side covers, replaced that side with
     * its own older one, and a resend of an event between them was answered with the new rules' decision, not the one sent.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aKeptSnapshotOfTheOlderConfigurationDoesNotReplaceWhatANewerOneHolds() throws Exception {
        final byte[][] decisions = new byte[6][];
        final EngineConfig oldEveryThird = config("u-x", "engine");
        oldEveryThird.snapshot.everyEvents = 3; // at 3, and at the stop at 5
        try (EngineGateway gateway = EngineGateway.start(oldEveryThird, new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            logOn(client);
            final String[] users = {null, "u-1", "u-bad", "u-x", "u-4", "u-x"};
            for (int i = 1; i <= 5; i++) {
                client.send(order(i, users[i]));
                decisions[i] = bytes(client.readSkippingHeartbeats());
            }
        }
        assertEquals(Outcome.DECLINE, decision(decisions[5]).outcome(), "u-x is denied");
        final Path snapshots = dir.resolve("snapshots");
        final EngineConfig everySecond = config("u-bad", "engine");
        everySecond.snapshot.everyEvents = 2; // its replay writes at 2 and 4, and at the end at 5 (replacing the older one's)
        EngineGateway.start(everySecond, new GatewayConfig(), dir, new SbeEventValidator(1 << 16)).close();
        // a kill -9 after that replay's first snapshot (at 2, holding what was sent through 5) leaves it its newest
        java.nio.file.Files.delete(snapshots.resolve("snapshot-00000000000000000004.snap"));
        java.nio.file.Files.delete(snapshots.resolve("snapshot-00000000000000000005.snap"));
        assertTrue(java.nio.file.Files.exists(snapshots.resolve("snapshot-00000000000000000003.snap")),
            "the older configuration's first of today, kept");
        try (EngineGateway gateway = start("u-bad", "engine"); TestClient client = TestClient.connect(gateway.port())) {
            assertEquals(2, gateway.engine().restoredSequence(), "went on from the snapshot at 2");
            assertEquals(5, logOn(client));
            client.send(order(5, "u-x"));
            assertArrayEquals(decisions[5], bytes(client.readSkippingHeartbeats()), "the answer it was given: DECLINE");
        }
    }

    /**
     * A kill -9 leaves events after the old configuration's newest snapshot (here 3 and 4, after the snapshot at 2): a
     * start under the new one decides them again under the old one for what it keeps of them (left in the last note:
     * they were re-decided under the new rules, so a resend of o-4 got DECLINE where the shop had been told APPROVE, and
     * a returning subscriber got an alert for o-4 instead of o-3's). That start ends with a snapshot of the new
     * configuration, so a kill -9 soon after it (a copy of the directory while it runs) goes on from there.
     */
    @ParameterizedTest(name = "snapshots by the {0}")
    @ValueSource(strings = {"engine", "replica"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void decidesTheKillNineTailUnderTheConfigurationThatDecidedIt(final String writer) throws Exception {
        final byte[][] decisions = answeredThenKilledAfterTheSnapshotAt2(writer);
        final Path snapshots = dir.resolve("snapshots");
        final PriorConfiguration prior = new PriorConfiguration(config("u-x", writer), 1);
        final Path copy = spare.resolve("killed");
        final Runnable slowDisk = () -> LockSupportSleep.millis(300); // each snapshot takes a while to reach the disk
        try (EngineGateway gateway = EngineGateway.start(config("u-bad", writer), new GatewayConfig(), dir,
                new SbeEventValidator(1 << 16), slowDisk, null, prior)) {
            // the start's own snapshot, of the new configuration, at the journal's end: on disk before the start returns
            // (review: a kill -9 before it was written left the old configuration's tail to the new one at the next start)
            assertTrue(java.nio.file.Files.exists(snapshots.resolve(snapshotName(4))), "a snapshot at the end of the start");
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(4, logOn(client));
                client.send(order(4, "u-bad"));
                assertArrayEquals(decisions[4], bytes(client.readSkippingHeartbeats()), "the answer it was given: APPROVE");
                client.send(order(3, "u-x"));
                assertArrayEquals(decisions[3], bytes(client.readSkippingHeartbeats()), "the answer it was given: DECLINE");
            }
            assertEquals(List.of("3:u-x"), alertsAfter(1, gateway.port()), "the alert pushed for o-3, none for o-4");
            copyTree(dir, copy); // a kill -9 now
        }

        // the configuration now recorded took effect at 5: it decided nothing before, and is this one
        try (EngineGateway gateway = EngineGateway.start(config("u-bad", writer), new GatewayConfig(), copy,
                new SbeEventValidator(1 << 16), null, null, new PriorConfiguration(config("u-bad", writer), 5))) {
            assertEquals(4, gateway.engine().restoredSequence(), "went on from the start's snapshot");
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(4, logOn(client, copy));
                client.send(order(4, "u-bad"));
                assertArrayEquals(decisions[4], bytes(client.readSkippingHeartbeats()), "still the answer it was given");
            }
        }
    }

    /**
     * Review: when the snapshot that ends such a start is not written (a full disk, say), the replica starts from
     * before the tail and its twin of the output side is fed the tail as the old configuration decided it too; else
     * its snapshots (here the shutdown one at 6) would hold no answers for 3 and 4, and a resend after the next start
     * would not get them.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aReplicaStartedBeforeTheTailFeedsItToItsTwin() throws Exception {
        final byte[][] decisions = answeredThenKilledAfterTheSnapshotAt2("replica");
        final java.util.concurrent.atomic.AtomicBoolean diskFull = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Runnable failWhileFull = () -> {
            if (diskFull.get()) {
                throw new IllegalStateException("no space left (test)");
            }
        };
        try (EngineGateway gateway = EngineGateway.start(config("u-bad", "replica"), new GatewayConfig(), dir,
                new SbeEventValidator(1 << 16), failWhileFull, null, new PriorConfiguration(config("u-x", "replica"), 1));
             TestClient client = TestClient.connect(gateway.port())) {
            diskFull.set(false);
            assertEquals(4, logOn(client));
            client.send(order(5, "u-y"));
            client.readSkippingHeartbeats();
            client.send(order(6, "u-y"));
            client.readSkippingHeartbeats();
        } // the replica's shutdown snapshot at 6, its output section its twin's
        assertTrue(java.nio.file.Files.exists(dir.resolve("snapshots").resolve(snapshotName(6))), "the replica's snapshot at 6");
        try (EngineGateway gateway = EngineGateway.start(config("u-bad", "replica"), new GatewayConfig(), dir,
                new SbeEventValidator(1 << 16), null, null, new PriorConfiguration(config("u-bad", "replica"), 5));
             TestClient client = TestClient.connect(gateway.port())) {
            assertEquals(6, gateway.engine().restoredSequence(), "went on from the replica's snapshot");
            assertEquals(6, logOn(client));
            client.send(order(4, "u-bad"));
            assertArrayEquals(decisions[4], bytes(client.readSkippingHeartbeats()), "the answer it was given: APPROVE");
            client.send(order(3, "u-x"));
            assertArrayEquals(decisions[3], bytes(client.readSkippingHeartbeats()), "the answer it was given: DECLINE");
        }
    }

    /**
     * Killed before the old configuration took any snapshot, or with snapshots off: no output side was restored, and
     * the whole journal is decided under the configuration before for it (the events were re-decided under the new
     * rules, every answer kept for resends and every push with them).
     */
    @ParameterizedTest(name = "snapshots {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void decidesAJournalWithoutSnapshotsUnderTheConfigurationThatDecidedIt(final boolean snapshots) throws Exception {
        final byte[][] decisions = answeredThenKilled("engine", snapshots, 0);
        final EngineConfig after = config("u-bad", "engine");
        after.snapshot.enabled = snapshots;
        final EngineConfig before = config("u-x", "engine");
        before.snapshot.enabled = snapshots;
        try (EngineGateway gateway = EngineGateway.start(after, new GatewayConfig(), dir, new SbeEventValidator(1 << 16),
                null, null, new PriorConfiguration(before, 1))) {
            try (TestClient client = TestClient.connect(gateway.port())) {
                assertEquals(4, logOn(client));
                for (int seq = 1; seq <= 4; seq++) {
                    client.send(order(seq, seq % 2 == 1 ? "u-x" : "u-bad"));
                    assertArrayEquals(decisions[seq], bytes(client.readSkippingHeartbeats()), "the answer o-" + seq + " was given");
                }
            }
            assertEquals(List.of("3:u-x"), alertsAfter(1, gateway.port()), "the alert pushed for o-3, none for o-2 and o-4");
        }
    }

    private byte[][] answeredThenKilledAfterTheSnapshotAt2(final String writer) throws Exception {
        return answeredThenKilled(writer, true, 2);
    }

    /**
     * Orders 1..4 of u-x, u-bad, u-x, u-bad under a deny list of u-x, snapshots every 2 events (or none); then as if
     * killed after event 4 with the snapshot at {@code keep} the newest (0: none): the events after it were answered
     * and journaled.
     *
     * @return the answers, by client sequence
     */
    private byte[][] answeredThenKilled(final String writer, final boolean snapshotsOn, final long keep) throws Exception {
        final byte[][] decisions = new byte[5][];
        final EngineConfig before = config("u-x", writer);
        before.snapshot.everyEvents = 2;
        before.snapshot.enabled = snapshotsOn;
        try (EngineGateway gateway = EngineGateway.start(before, new GatewayConfig(), dir, new SbeEventValidator(1 << 16));
             TestClient client = TestClient.connect(gateway.port())) {
            logOn(client);
            final String[] users = {null, "u-x", "u-bad", "u-x", "u-bad"};
            for (int i = 1; i <= 4; i++) {
                client.send(order(i, users[i]));
                decisions[i] = bytes(client.readSkippingHeartbeats());
            }
            assertEquals(Outcome.APPROVE, decision(decisions[4]).outcome(), "u-bad is not denied yet");
        }
        final Path snapshots = dir.resolve("snapshots");
        if (keep > 0) {
            assertTrue(java.nio.file.Files.exists(snapshots.resolve(snapshotName(keep))), "the snapshot at " + keep);
        }
        for (long seq = keep + 1; seq <= 4; seq++) {
            java.nio.file.Files.deleteIfExists(snapshots.resolve(snapshotName(seq)));
        }
        return decisions;
    }

    /** Sleeps in a snapshot writer's rename hook. */
    private static final class LockSupportSleep {
        static void millis(final long ms) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
        }
    }

    private static String snapshotName(final long seq) {
        return io.ringfence.journal.snapshot.SnapshotDescriptor.fileName(seq);
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (var files = java.nio.file.Files.walk(from)) {
            for (final Path p : files.toList()) {
                final Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
    }

    /** The fraud alerts a subscriber to all of them is caught up on after {@code seq}, as "seq:user". */
    /** Orders 1..3 of u-x, u-bad, u-x under a deny list of u-x, by the engine's snapshots; their answers by clientSeq. */
    private byte[][] decideThreeDenyingUx() throws IOException {
        final byte[][] decisions = new byte[4][];
        try (EngineGateway gateway = start("u-x", "engine"); TestClient client = TestClient.connect(gateway.port())) {
            logOn(client);
            final String[] users = {null, "u-x", "u-bad", "u-x"};
            for (int i = 1; i <= 3; i++) {
                client.send(order(i, users[i]));
                decisions[i] = bytes(client.readSkippingHeartbeats());
            }
        }
        return decisions;
    }

    private List<String> alertsAfter(final long seq, final int port) throws Exception {
        final List<String> alerts = new CopyOnWriteArrayList<>();
        final CountDownLatch caughtUp = new CountDownLatch(1);
        final ClientListener listener = new ClientListener() {
            @Override
            public void onPush(final int templateId, final DirectBuffer buffer, final int offset, final int length) {
                if (templateId == FraudAlertDecoder.TEMPLATE_ID) {
                    final FraudAlertDecoder alert = new FraudAlertDecoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderDecoder());
                    alerts.add(alert.seq() + ":" + alert.userId());
                }
            }

            @Override
            public void onCatchUp(final CatchUpDecoder catchUp) {
                caughtUp.countDown();
            }
        };
        final ClientConfig watch = CredentialsFile.readWatch(dir);
        final GatewayClient watcher = new GatewayClient(new GatewayClientConfig(), listener);
        try {
            watcher.connect("127.0.0.1", port);
            watcher.subscribe(1, Topic.FRAUD_ALERT, FilterKind.ALL, "");
            watcher.resumeAfter(seq, 1);
            watcher.logon(watch.id, watch.secret);
            assertTrue(caughtUp.await(20, TimeUnit.SECONDS), "caught up");
            assertEquals(0, watcher.catchUpGaps(), "nothing lost");
            return alerts;
        } finally {
            watcher.close();
        }
    }

    private long logOn(final TestClient client) throws IOException {
        return logOn(client, dir);
    }

    private long logOn(final TestClient client, final Path data) throws IOException {
        final ClientConfig local = CredentialsFile.read(data);
        client.send(Frames.logon(local.id, local.secret));
        final TestClient.Frame ack = client.readSkippingHeartbeats();
        assertEquals(LogonAckDecoder.TEMPLATE_ID, ack.templateId(), "expected LogonAck, got " + ack);
        return ack.logonAck().lastJournaledClientSeq();
    }

    private static byte[] bytes(final TestClient.Frame frame) {
        assertEquals(DecisionDecoder.TEMPLATE_ID, frame.templateId(), "a decision, got " + frame);
        final byte[] b = new byte[frame.message().capacity()];
        frame.message().getBytes(0, b);
        return b;
    }

    private static DecisionDecoder decision(final byte[] message) {
        return new DecisionDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    private static byte[] order(final long clientSeq, final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final OrderEncoder order = new FrameEncoder().begin(buffer, 0, new OrderEncoder())
            .clientSeq(clientSeq).eventTime(START + clientSeq * 60_000_000L).orderId("o-" + clientSeq).userId(user)
            .merchantId("m-1").amount(1_000).currency("EUR").country("DE").ip("10.0.0." + clientSeq)
            .deviceId("d-" + clientSeq).instrumentId("card-" + clientSeq).channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku("sku-1").qty(1).unitPrice(1_000).category("cat");
        return Arrays.copyOf(buffer.byteArray(), FrameEncoder.frame(buffer, 0, order));
    }
}
