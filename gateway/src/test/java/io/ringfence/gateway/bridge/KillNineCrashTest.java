package io.ringfence.gateway.bridge;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.gateway.client.GatewayClient;
import io.ringfence.gateway.client.GatewayClientConfig;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN §7, end to end: the server runs in a child JVM ({@link CrashServerMain}, same classpath
 * and JVM flags as this test) and is killed with SIGKILL ({@code destroyForcibly}) at seeded
 * random moments, at least {@value #MIN_KILLS} times, some of them while a snapshot is between
 * its fsync and its rename; it is restarted each time on the same data directory and port, while
 * a resending {@link GatewayClient} ({@code recoverAnswers}) keeps submitting orders. At the end:
 * the journal holds each client sequence exactly once; every order got a decision and a decision
 * seen twice is byte-identical; each decision equals the one a clean in-process replay of the
 * journal gives; recovering the data directory (snapshot + tail) gives the state hash of that
 * clean replay; and a subscriber to every push, reconnecting after each kill, got every push of that
 * clean replay exactly once and in order (the server's push history, kept in its snapshots and
 * refilled by its recovery, catches it up on what it missed). Some orders are invalid (a negative
 * amount; one in {@value #INVALID_EVERY}, and a run of {@value #INVALID_RUN} in every interval, longer
 * than the refused tail the client kept before schema version 6): each is refused, never journaled
 * nor decided, and the client never stops on a gap the kills' forgotten refusals leave.
 *
 * <p>{@code -Dringfence.test.crash.kills=N} (default {@value #DEFAULT_KILLS}) sets the kills; the
 * orders scale with them, and the sender never gets more than one kill interval ahead of the next
 * kill, so all N happen however slow a restart is (a restart outlasting the interval used to let the
 * orders run out first: 32 and 22 of 50 in the 2026-12-04 soak). About 30 s on 2 cores with the default.
 */
class KillNineCrashTest {
    private static final int DEFAULT_KILLS = 6;
    private static final int MIN_KILLS = 5;
    private static final int KILLS = Math.max(MIN_KILLS, Integer.getInteger("ringfence.test.crash.kills", DEFAULT_KILLS));
    private static final int INTERVAL = 4_000;
    private static final int ORDERS = INTERVAL * (KILLS + 1);
    private static final long SNAPSHOT_EVERY = 2_000;
    private static final long RENAME_PAUSE_MILLIS = 300;
    private static final long START_MICROS = 1_767_225_600_000_000L;
    private static final int INVALID_EVERY = 89;
    private static final int INVALID_RUN = 100;

    @TempDir
    Path dir;

    private final AtomicLong sent = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> chaosErrors = new ConcurrentLinkedQueue<>();
    private volatile Process child;
    private volatile BlockingQueue<String> childLines;
    /** The child's "SUBSCRIBED n" lines. */
    private final BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
    private volatile boolean sending = true;
    /** The last order the sender may send until the chaos thread moves it on: kill k's moment plus one interval. */
    private volatile long sendLimit = INTERVAL;
    private int killsDuringSnapshotWrite;
    private int kills;
    /** The chaos thread's kills (not the one that ends the test). */
    private int chaosKills;
    private final List<String> restarts = new ArrayList<>();

    /** Who writes the snapshots in the child: the live engine, or a replica following the journal. */
    private String writer;
    /** The child's pipeline layout: a stage thread (combined), or the stages on the gateway's I/O thread (inline). */
    private String layout;

    @ParameterizedTest(name = "snapshots by the {0}, {1} layout")
    @CsvSource({"engine, combined", "replica, combined", "engine, inline"})
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void losesNothingAndCountsNothingTwiceAcrossKillNines(final String snapshotWriter, final String pipelineLayout) throws Exception {
        writer = snapshotWriter;
        layout = pipelineLayout;
        final Path data = dir.resolve("data");
        final long started = System.nanoTime();
        final int port = startChild(data, 0);
        final ClientConfig local = CredentialsFile.read(data);
        final DecisionTally answers = new DecisionTally(ORDERS, KillNineCrashTest::invalid);
        final GatewayClientConfig clientConfig = new GatewayClientConfig();
        clientConfig.recoverAnswers = true;
        clientConfig.unackedBufferBytes = 256 << 10;
        clientConfig.maxFrameBytes = 64 << 10; // at most a quarter of the buffer; these orders are small
        clientConfig.reconnectBackoffMillis = 20;
        clientConfig.reconnectMaxBackoffMillis = 200;
        final Thread chaos = new Thread(() -> chaos(data, port), "chaos");
        final ClientConfig watch = CredentialsFile.readWatch(data);
        final PushTally pushes = new PushTally();
        final GatewayClientConfig watchConfig = new GatewayClientConfig();
        watchConfig.reconnectBackoffMillis = 20;
        watchConfig.reconnectMaxBackoffMillis = 200;
        try (GatewayClient client = GatewayClient.open(clientConfig, answers, "127.0.0.1", port, local.id, local.secret);
             GatewayClient watcher = GatewayClient.open(watchConfig, pushes, "127.0.0.1", port, watch.id, watch.secret)) {
            for (final io.ringfence.sbe.Topic topic : io.ringfence.sbe.Topic.values()) {
                if (topic != io.ringfence.sbe.Topic.NULL_VAL) {
                    watcher.subscribe(topic.value(), topic, io.ringfence.sbe.FilterKind.ALL, "");
                }
            }
            // a subscription holds from when the server takes it: the first orders must not come before that
            final String all = CrashServerMain.SUBSCRIBED + " " + (io.ringfence.sbe.Topic.values().length - 1);
            String line;
            do {
                line = subscribed.poll(30, TimeUnit.SECONDS);
                assertNotNull(line, "the server holds the subscriber's subscriptions within 30 s");
            } while (!line.equals(all));
            chaos.start();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
            for (long i = 1; i <= ORDERS; i++) {
                while (i > sendLimit) {
                    LockSupport.parkNanos(1_000_000L);
                }
                // longer than a restart may take (60 s, then the chaos thread says why it failed)
                final long seq = client.send(buffer, 0, order(buffer, i), 120, TimeUnit.SECONDS);
                assertEquals(i, seq, "sequence assigned to order " + i);
                sent.set(i);
            }
            sending = false;
            chaos.join(TimeUnit.MINUTES.toMillis(5));
            assertTrue(client.awaitAcknowledged(60, TimeUnit.SECONDS), "every order answered; acked up to "
                    + client.acknowledgedSeq() + " of " + ORDERS);
            // the data directory is the server's while it runs: wait until the subscriber's pushes stop coming
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int last = -1;
            while (pushes.count() != last && System.nanoTime() < until) {
                last = pushes.count();
                LockSupport.parkNanos(1_000_000_000L);
            }
            System.out.printf("subscriber: %,d pushes, %,d caught up after %d reconnects, %d resumes with pushes lost;"
                            + " catch-ups %s%n", pushes.count(), watcher.caughtUpPushes(), watcher.reconnects(),
                    watcher.catchUpGaps(), pushes.catchUps());
            System.out.printf("kill -9 (snapshots by the " + writer + ", " + layout + " layout): %,d orders in %,d ms, %d kills (%d during a snapshot write), client reconnects %d,"
                            + " resent %,d, decisions %,d distinct + %,d repeated; restarts: %s%n",
                    ORDERS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), kills, killsDuringSnapshotWrite,
                    client.reconnects(), client.resentMessages(), answers.distinct(), answers.duplicates(), restarts);
        } catch (final Throwable t) {
            sending = false;
            chaos.join(TimeUnit.SECONDS.toMillis(90));
            chaosErrors.forEach(t::addSuppressed); // a child that did not start says why there
            throw t;
        } finally {
            sending = false;
            chaos.join(TimeUnit.SECONDS.toMillis(30));
            kill();
        }
        try (Stream<String> log = Files.lines(dir.resolve("child-stderr.log"))) {
            log.filter(l -> l.contains("not used") || l.contains("unusable") || l.contains("recovered ") || l.contains("ERROR")
                    || l.contains("holds answers up to"))
                    .forEach(l -> System.out.println("child: " + l));
        }
        assertTrue(chaosErrors.isEmpty(), () -> "chaos thread failed: " + chaosErrors);
        assertEquals(KILLS, chaosKills, "kills while the orders came");
        assertTrue(killsDuringSnapshotWrite >= 1, "at least one kill landed between a snapshot's fsync and its rename");
        assertTrue(answers.rejects.isEmpty(), () -> "no valid order refused: " + answers.rejects);
        assertEquals(0, answers.mismatched.get(), "a repeated decision is byte-identical to the first");

        final long clientKey = io.ringfence.engine.model.Ids.hash(local.id);
        assertJournalHoldsEachOrderOnce(data, clientKey);
        final CleanReplay clean = cleanReplay(data);
        int refused = 0;
        for (int i = 1; i <= ORDERS; i++) {
            if (invalid(i)) {
                assertTrue(answers.refusals[i] >= 1, "invalid order " + i + " refused");
                assertTrue(answers.first[i] == null && clean.decisions[i] == null, "invalid order " + i + " never decided");
                refused++;
                continue;
            }
            assertNotNull(answers.first[i], "order " + i + " got a decision");
            assertArrayEquals(clean.decisions[i], answers.first[i], "decision of order " + i + " equals the clean replay's");
        }
        assertAnswersLogHoldsEachDecisionOnce(data, clientKey, answers.first);
        System.out.printf("invalid orders: %,d, each refused (%,d refusals in all)%n", refused,
                java.util.Arrays.stream(answers.refusals).sum());
        assertEquals(List.of(), pushes.rejects(), "no subscription refused");
        final List<byte[]> received = pushes.pushes();
        for (int i = 0; i < Math.min(received.size(), clean.pushes.size()); i++) {
            final int at = i;
            assertArrayEquals(clean.pushes.get(i), received.get(i), () -> "push " + at + " (engine sequence "
                    + seqOf(clean.pushes.get(at)) + ") is the clean replay's, in order; the subscriber's is of sequence "
                    + seqOf(received.get(at)));
        }
        assertEquals(clean.pushes.size(), received.size(), "the subscriber got as many pushes as the clean replay made");
        final EngineConfig config = CrashServerMain.engineConfig(SNAPSHOT_EVERY, writer, layout);
        try (Engine recovered = Engine.recovered(config, data, new OutputSink() {
            @Override
            public void onOutput(final long s, final long src, final long c, final DirectBuffer b, final int o, final int l) {
            }
        }, (s, i, src, c, b, o, l) -> { }, new OutputSink() {
            @Override
            public void onOutput(final long s, final long src, final long c, final DirectBuffer b, final int o, final int l) {
            }
        })) {
            assertTrue(recovered.restoredSequence() > 0, "a snapshot was restored");
            assertEquals(clean.stateHash, recovered.logic().stateHash(), "snapshot + tail = clean replay of the journal");
        }
    }

    /** Kills the child at seeded moments spread over the run (every other one mid-snapshot-write) and restarts it. */
    private void chaos(final Path data, final int port) {
        final Random random = new Random(42);
        try {
            for (int k = 0; k < KILLS; k++) {
                final long at = (long) ORDERS * (k + 1) / (KILLS + 1) + random.nextInt(1_000) - 500;
                sendLimit = at + INTERVAL;
                while (sending && sent.get() < at) {
                    LockSupport.parkNanos(1_000_000L);
                }
                if (!sending) {
                    return;
                }
                final boolean midSnapshot = k % 2 == 1;
                if (midSnapshot) {
                    childLines.clear();
                    awaitSnapshotWrite();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(50)));
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(200)));
                }
                kill();
                chaosKills++;
                if (midSnapshot) {
                    try (Stream<Path> files = Files.list(data.resolve("snapshots"))) {
                        if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
                            killsDuringSnapshotWrite++;
                        }
                    }
                }
                startChild(data, port);
            }
        } catch (final Throwable t) {
            chaosErrors.add(t);
        } finally {
            sendLimit = ORDERS;
        }
    }

    /**
     * Waits for the child to begin a snapshot write. One begins only while events come, so the sender is let on
     * a little at a time: enough for one to begin, not so much that the orders run out before the last kill.
     */
    private void awaitSnapshotWrite() throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        sendLimit = Math.min(ORDERS, sent.get() + 2 * SNAPSHOT_EVERY);
        while (childLines.poll(1, TimeUnit.SECONDS) == null) {
            assertTrue(System.nanoTime() < until, "a snapshot write began within 60 s");
            sendLimit = Math.min(ORDERS, sendLimit + SNAPSHOT_EVERY);
        }
    }

    private void kill() throws InterruptedException {
        final Process p = child;
        if (p != null && p.isAlive()) {
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no snapshot, nothing flushed
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child died");
            kills++;
        }
    }

    /** Starts the child, waits for its READY line; returns its port. */
    private int startChild(final Path data, final int port) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                command.add(arg); // the flags Chronicle needs (jvm.properties, via surefire's argLine)
            }
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), CrashServerMain.class.getName(),
                data.toString(), String.valueOf(port), String.valueOf(SNAPSHOT_EVERY), String.valueOf(RENAME_PAUSE_MILLIS), writer, layout));
        final Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("child-stderr.log").toFile()))
                .start();
        final BlockingQueue<String> renames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> ready = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(CrashServerMain.SUBSCRIBED)) {
                        subscribed.add(line);
                    } else {
                        (line.startsWith(CrashServerMain.READY) ? ready : renames).add(line);
                    }
                }
            } catch (final IOException e) {
                // the child was killed
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        final String line = ready.poll(60, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new AssertionError("the child did not start; see " + dir.resolve("child-stderr.log") + ":\n"
                    + Files.readString(dir.resolve("child-stderr.log")));
        }
        childLines = renames;
        child = p;
        restarts.add(line.substring(CrashServerMain.READY.length() + 1).replaceFirst("^\\d+ ", ""));
        return Integer.parseInt(line.split(" ")[1]);
    }

    /** The engine sequence a push starts with. */
    private static long seqOf(final byte[] push) {
        return new UnsafeBuffer(push).getLong(MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private record CleanReplay(long stateHash, byte[][] decisions, List<byte[]> pushes) {
    }

    /** A fresh engine over the whole journal, no snapshot: the engine that never crashed. */
    private static CleanReplay cleanReplay(final Path data) {
        final EngineConfig config = CrashServerMain.engineConfig(SNAPSHOT_EVERY, "engine", "combined");
        config.snapshot.enabled = false;
        final byte[][] decisions = new byte[ORDERS + 1][];
        final List<byte[]> pushes = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OutputSink collect = new OutputSink() {
            @Override
            public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                 final int offset, final int length) {
                final int template = header.wrap(buffer, offset).templateId();
                final byte[] b = new byte[length];
                buffer.getBytes(offset, b);
                if (template == DecisionDecoder.TEMPLATE_ID) {
                    assertTrue(decisions[(int) clientSeq] == null, "one decision per order in the journal");
                    decisions[(int) clientSeq] = b;
                } else if (template >= io.ringfence.sbe.OrderStatusPushDecoder.TEMPLATE_ID
                        && template <= io.ringfence.sbe.TrendingPushDecoder.TEMPLATE_ID) {
                    pushes.add(b);
                }
            }
        };
        try (Engine engine = Engine.recovered(config, data, collect, (s, i, src, c, b, o, l) -> { }, collect)) {
            return new CleanReplay(engine.logic().stateHash(), decisions, pushes);
        }
    }

    private static void assertJournalHoldsEachOrderOnce(final Path data, final long clientKey) {
        final byte[] seen = new byte[ORDERS + 1];
        final long[] records = new long[3];
        try (Journal journal = Journal.open(JournalConfig.builder(data).build()); JournalReader reader = journal.reader()) {
            while (reader.next((sequence, ingest, sourceId, clientSeq, payload, offset, length) -> {
                records[0]++;
                if (sourceId != clientKey || clientSeq < 1 || clientSeq > ORDERS || invalid(clientSeq)) {
                    records[1]++;
                } else if (seen[(int) clientSeq]++ > 0) {
                    records[2]++;
                }
            })) {
                // reads to the end
            }
        }
        assertEquals(0, records[1], "only this client's valid orders 1..N are journaled");
        assertEquals(0, records[2], "no client sequence is journaled twice");
        assertEquals(ORDERS - java.util.stream.LongStream.rangeClosed(1, ORDERS).filter(KillNineCrashTest::invalid).count(),
                records[0], "the journal holds exactly the N orders less the invalid ones");
    }

    /**
     * The answers log (DATA/answers) holds each decision the client got, once, byte for byte as the client got it first,
     * in engine order, however the kills fell (one before a dispatch, one after it before the client read it, ...).
     */
    private static void assertAnswersLogHoldsEachDecisionOnce(final Path data, final long clientKey, final byte[][] first) {
        final int[] kept = new int[ORDERS + 1];
        final long[] wrong = new long[3];
        final long[] lastEngineSeq = {0};
        try (Journal journal = Journal.open(JournalConfig.builder(data.resolve(AnswerLog.DIRECTORY)).forReading().build());
             JournalReader reader = journal.reader()) {
            while (reader.next((sequence, keptAt, sourceId, clientSeq, payload, offset, length) -> {
                final byte[] b = new byte[length];
                payload.getBytes(offset, b);
                if (sourceId != clientKey || clientSeq < 1 || clientSeq > ORDERS || first[(int) clientSeq] == null) {
                    wrong[0]++;
                    return;
                }
                if (kept[(int) clientSeq]++ > 0) {
                    wrong[1]++;
                }
                assertArrayEquals(first[(int) clientSeq], b, "the answer kept for order " + clientSeq + " is the one the client got");
                final long engineSeq = AnswerLog.engineSequence(payload, offset);
                if (engineSeq <= lastEngineSeq[0]) {
                    wrong[2]++;
                }
                lastEngineSeq[0] = engineSeq;
            })) {
                // reads to the end
            }
        }
        assertEquals(0, wrong[0], "the answers log holds only answers to this client's valid orders");
        assertEquals(0, wrong[1], "no order's answer is kept twice");
        assertEquals(0, wrong[2], "answers are kept in engine order");
        for (int i = 1; i <= ORDERS; i++) {
            if (first[i] != null) {
                assertEquals(1, kept[i], "the answer to order " + i + " is kept");
            }
        }
    }

    /** The orders made invalid (a negative amount): one in INVALID_EVERY, and a run of INVALID_RUN in every interval. */
    private static boolean invalid(final long i) {
        final long inInterval = i % INTERVAL;
        return i % INVALID_EVERY == 0 || inInterval >= 3_000 && inInterval < 3_000 + INVALID_RUN;
    }

    private static int order(final UnsafeBuffer buffer, final long i) {
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .clientSeq(0).eventTime(START_MICROS + i * 10_000L).orderId("o-" + i).userId("u-" + (i % 397))
                .merchantId("m-" + (i % 7)).amount(invalid(i) ? -5 : 1_000 + i % 500).currency("EUR").country(i % 3 == 0 ? "FR" : "DE")
                .ip("10.0." + (i % 13) + ".1").deviceId("d-" + (i % 131)).instrumentId("card-" + (i % 253))
                .channel(Channel.WEB).label((byte) -1);
        order.itemsCount(1).next().sku("sku-" + (i % 100)).qty(1).unitPrice(1_000 + i % 500).category("cat");
        return MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
    }
}
