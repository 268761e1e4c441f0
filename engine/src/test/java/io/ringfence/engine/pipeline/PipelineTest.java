package io.ringfence.engine.pipeline;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.journal.Journal;
import io.ringfence.journal.DirtyPages;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalSync;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pipeline's guarantees, checked on both wirings (Disruptor, ArrayBlockingQueue baseline) where they share them. */
class PipelineTest {
    private static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    /** Echoes each event as a Heartbeat output whose sendTime is the event's own payload value. */
    static final class EchoLogic implements BusinessLogic {
        final HeartbeatDecoder in = new HeartbeatDecoder();
        final HeartbeatEncoder enc = new HeartbeatEncoder();
        final MessageHeaderDecoder hdr = new MessageHeaderDecoder();
        final MessageHeaderEncoder outHdr = new MessageHeaderEncoder();
        long failOn = -1;
        int ended;

        @Override
        public void onEvent(final long sequence, final long ingest, final DirectBuffer buffer, final int offset,
                            final int length, final OutputBuffer out) {
            in.wrapAndApplyHeader(buffer, offset, hdr);
            final int at = out.begin();
            enc.wrapAndApplyHeader(out.buffer(), at, outHdr).sendTime(in.sendTime());
            out.commit(at, MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength());
            if (sequence == failOn) {
                throw new IllegalStateException("boom at " + sequence);
            }
        }

        @Override
        public void onEndOfInput(final long lastSequence, final OutputBuffer out) {
            ended++;
        }

        @Override
        public long stateHash() {
            return 0;
        }
    }

    /** Records what was dispatched and, for each output, whether its event was already in the journal. */
    static class RecordingSink implements OutputSink {
        final List<long[]> outputs = new CopyOnWriteArrayList<>();
        final HeartbeatDecoder dec = new HeartbeatDecoder();
        final MessageHeaderDecoder hdr = new MessageHeaderDecoder();
        final Journal journal;
        volatile long notYetJournaled;
        volatile long endOfInput = -1;

        RecordingSink(final Journal journal) {
            this.journal = journal;
        }

        @Override
        public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                             final int offset, final int length) {
            dec.wrapAndApplyHeader(buffer, offset, hdr);
            if (journal != null && journal.lastSequence() < sequence) {
                notYetJournaled++;
            }
            outputs.add(new long[] {sequence, clientSeq, dec.sendTime()});
        }

        @Override
        public void onEndOfInput(final long lastSequence) {
            endOfInput = lastSequence;
        }

        @Override
        public void onControl(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
            outputs.add(new long[] {-1, clientSeq, buffer.getLong(offset)});
        }
    }

    private static PipelineSettings settings(final Layout layout) {
        return new PipelineSettings(1024, Topology.resolve(layout, WaitKind.BLOCKING, 2), 1, 4096, 64, 64);
    }

    private static void publishHeartbeats(final Pipeline pipeline, final int n) {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder enc = new HeartbeatEncoder();
        final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
        for (int i = 1; i <= n; i++) {
            enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i * 10L);
            pipeline.publish(i, 7, 1000 + i, buf, 0, MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength());
        }
    }

    /** Keeps the stage times handed to the sink before each event's outputs. */
    static final class StageTimesSink extends RecordingSink {
        final List<long[]> times = new CopyOnWriteArrayList<>();

        StageTimesSink() {
            super(null);
        }

        @Override
        public void onStageTimes(final long receivedNanos, final long journalStartNanos, final long journaledNanos,
                                 final long decidedNanos) {
            times.add(new long[] {receivedNanos, journaledNanos, decidedNanos, journalStartNanos});
        }
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"DEDICATED", "COMBINED", "INLINE"})
    void shouldHandTheSinkEachEventsStageTimesInStageOrderOnlyWhenEnabled(final Layout layout) {
        for (final boolean enabled : new boolean[] {true, false}) {
            try (Journal journal = Journal.open(JournalConfig.builder(dir.resolve(layout + "-" + enabled)).build())) {
                final StageTimesSink sink = new StageTimesSink();
                final PipelineSettings s = new PipelineSettings(1024, Topology.resolve(layout, WaitKind.BLOCKING, 2), 1, 4096, 64, 64, enabled);
                final long before = System.nanoTime();
                final Pipeline pipeline = Pipeline.start(s, journal, new EchoLogic(), sink);
                publishHeartbeats(pipeline, 100);
                pipeline.awaitDispatched(30, TimeUnit.SECONDS);
                pipeline.close();
                if (!enabled) {
                    assertEquals(0, sink.times.size(), "no stage times when off");
                    continue;
                }
                assertEquals(100, sink.times.size());
                for (final long[] t : sink.times) {
                    assertTrue(t[0] >= before, "received stamped at publish");
                    assertTrue(t[3] >= t[0], "journal stage took it after it was received");
                    assertTrue(t[1] >= t[3], "journaled after the journal stage took it");
                    assertTrue(t[2] >= t[0], "decided after received");
                    if (layout != Layout.DEDICATED) {
                        assertTrue(t[2] >= t[1], layout + ": business after journal");
                    }
                }
            }
        }
    }

    /** Every wiring in each of its layouts (inline is the Disruptor's alone: it hands nothing over, so has no queue). */
    static Stream<Arguments> wiringsAndLayouts() {
        return Stream.concat(Stream.of(Wiring.values()).flatMap(w -> Stream.of(Layout.DEDICATED, Layout.COMBINED).map(l -> Arguments.of(w, l))),
                Stream.of(Arguments.of(Wiring.DISRUPTOR, Layout.INLINE)));
    }

    @Test
    void inlineRunsEveryStageOnThePublishersThreadBeforeThePublishReturns() {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final List<Thread> threads = new CopyOnWriteArrayList<>();
            final RecordingSink sink = new RecordingSink(journal) {
                @Override
                public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                     final int offset, final int length) {
                    threads.add(Thread.currentThread());
                    super.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
                }
            };
            final Pipeline pipeline = Pipeline.start(settings(Layout.INLINE), journal, new EchoLogic(), sink);
            assertEquals(64, pipeline.ringSize(), "a ring of 64 slots whatever ringSize says: it never holds more than one event");
            final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
            final HeartbeatEncoder enc = new HeartbeatEncoder();
            final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
            for (int i = 1; i <= 1000; i++) {
                enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i);
                assertEquals(i, pipeline.tryPublish(i, 7, i, buf, 0, MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength()),
                        "never refused for a full ring");
                assertEquals(i, sink.outputs.size(), "event " + i + " answered when its publish returned");
                assertEquals(i, journal.lastSequence(), "and journaled");
            }
            pipeline.close();
            assertEquals(0, sink.notYetJournaled);
            assertTrue(threads.stream().allMatch(t -> t == Thread.currentThread()), "every output on the publisher's thread");
            assertEquals(Topology.resolve(Layout.INLINE, WaitKind.BLOCKING, 2).toString(), pipeline.topology().toString());
        }
    }

    @Test
    void inlineThrowsAJournalFailureToThePublisherOfTheEventItStoppedAtAndStops() {
        final Journal journal = Journal.open(JournalConfig.builder(dir).build());
        final RecordingSink sink = new RecordingSink(null);
        final Pipeline pipeline = Pipeline.start(settings(Layout.INLINE), journal, new EchoLogic(), sink);
        publishHeartbeats(pipeline, 3);
        journal.close();
        final PipelineException e = assertThrows(PipelineException.class, () -> publishHeartbeats(pipeline, 1));
        assertTrue(e.getMessage().contains("engine stage failed at engine sequence 4"), e.getMessage());
        assertTrue(pipeline.failure() != null && pipeline.failure().getMessage().contains("engine sequence 4"),
                "the failure is kept for the server's health check: " + pipeline.failure());
        assertEquals(3, sink.outputs.size(), "nothing dispatched for the event the journal refused");
        final PipelineException again = assertThrows(PipelineException.class, () -> publishHeartbeats(pipeline, 1));
        assertTrue(again.getMessage().startsWith("pipeline stopped"), again.getMessage());
        pipeline.close();
    }

    @Test
    void inlineRefusesAPublishFromInsideAStageAndGoesOn() {
        final Pipeline[] self = new Pipeline[1];
        final List<Throwable> refused = new CopyOnWriteArrayList<>();
        final RecordingSink sink = new RecordingSink(null) {
            @Override
            public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                 final int offset, final int length) {
                super.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
                try {
                    self[0].tryPublish(1, 7, 99, buffer, offset, length);
                } catch (final IllegalStateException e) {
                    refused.add(e);
                }
            }
        };
        final Pipeline pipeline = Pipeline.start(settings(Layout.INLINE), null, new EchoLogic(), sink);
        self[0] = pipeline;
        publishHeartbeats(pipeline, 3);
        pipeline.close();
        assertEquals(3, sink.outputs.size(), "each event once: the nested publish took no slot");
        assertEquals(3, refused.size());
        assertTrue(refused.get(0).getMessage().contains("publish from inside a stage"), refused.get(0).getMessage());
        assertEquals(3, pipeline.lastSequence());
    }

    @Test
    void theQueueWiringRefusesTheInlineLayout() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockingQueuePipeline.start(settings(Layout.INLINE), null, new EchoLogic(), new RecordingSink(null)));
        assertTrue(e.getMessage().contains("no inline layout"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("wiringsAndLayouts")
    void shouldDispatchEveryOutputInOrderAndOnlyAfterItsEventIsJournaled(final Wiring wiring, final Layout layout) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final RecordingSink sink = new RecordingSink(journal);
            final EchoLogic logic = new EchoLogic();
            final Pipeline pipeline = wiring.start(settings(layout), journal, logic, sink);
            publishHeartbeats(pipeline, EVENTS);
            pipeline.publishEndOfInput();
            pipeline.awaitDispatched(30, TimeUnit.SECONDS);
            pipeline.close();

            assertEquals(EVENTS, sink.outputs.size());
            for (int i = 0; i < EVENTS; i++) {
                final long[] o = sink.outputs.get(i);
                assertEquals(i + 1, o[0], "engine sequence in order");
                assertEquals(1001 + i, o[1], "client sequence carried");
                assertEquals((i + 1) * 10L, o[2], "payload carried");
            }
            assertEquals(0, sink.notYetJournaled, "an output left before its event was journaled");
            assertEquals(EVENTS, journal.lastSequence());
            assertEquals(1, logic.ended);
            assertEquals(EVENTS, sink.endOfInput);
        }
    }

    /**
     * journal.sync: batch promises the journal is on disk before the answers go out: when the last event's output
     * reaches the sink, the kernel holds none of the journal's pages dirty any more (test-suite audit: the appender's
     * sync could be switched off and no test noticed). Under none the same pages are still dirty then, which shows
     * that the measurement sees them; where the kernel writes them back by itself meanwhile (other processes' heavy
     * disk writes, {@link DirtyPages}) nothing can be measured and the test is aborted, not failed.
     */
    @ParameterizedTest
    @MethodSource("wiringsAndLayouts")
    void batchSyncHasTheJournalOnDiskBeforeAnOutputGoesOut(final Wiring wiring, final Layout layout) {
        final Path journalDir = dir.resolve("sync");
        assumeTrue(DirtyPages.measurable(dir), "needs /proc/self/smaps and a disk file system");
        final int events = 120;
        final int bytes = 1_000; // ~120 KB journaled: random bytes, which the journal's packing cannot shrink
        for (final JournalSync sync : new JournalSync[] {JournalSync.NONE, JournalSync.BATCH}) {
            final Path at = journalDir.resolve(sync.name());
            try (Journal journal = Journal.open(JournalConfig.builder(at).sync(sync, 5).build())) {
                final long[] dirtyAtLastOutput = {-1};
                final RecordingSink sink = new RecordingSink(journal) {
                    @Override
                    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                         final int offset, final int length) {
                        super.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
                        if (sequence == events) {
                            dirtyAtLastOutput[0] = DirtyPages.ofJournal(at);
                        }
                    }
                };
                final Pipeline pipeline = wiring.start(settings(layout), journal, new EchoLogic(), sink);
                final UnsafeBuffer buf = new UnsafeBuffer(new byte[bytes]);
                final java.util.Random random = new java.util.Random(7);
                final HeartbeatEncoder enc = new HeartbeatEncoder();
                final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
                for (int i = 1; i <= events; i++) {
                    for (int b = 0; b < bytes; b++) {
                        buf.putByte(b, (byte) (1 + random.nextInt(255)));
                    }
                    enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i);
                    pipeline.publish(i, 7, i, buf, 0, bytes);
                }
                pipeline.awaitDispatched(30, TimeUnit.SECONDS);
                pipeline.close();
                assertEquals(events, sink.outputs.size());
                if (sync == JournalSync.BATCH) {
                    assertTrue(dirtyAtLastOutput[0] >= 0 && dirtyAtLastOutput[0] <= 16 * 1024,
                        wiring + " " + layout + ": " + dirtyAtLastOutput[0] + " bytes of the journal not on disk at the last output");
                } else {
                    assumeTrue(dirtyAtLastOutput[0] >= 64 * 1024, wiring + " " + layout + ", sync none: only " + dirtyAtLastOutput[0]
                        + " dirty bytes at the last output: the kernel writes the pages back by itself here");
                }
            }
        }
    }

    /** Both wirings behind {@link Pipeline}: what the gateway relies on must hold for the baseline too. */
    enum Wiring {
        DISRUPTOR, ARRAY_BLOCKING_QUEUE;

        Pipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic, final OutputSink sink) {
            return this == DISRUPTOR ? Pipeline.start(settings, journal, logic, sink)
                    : BlockingQueuePipeline.start(settings, journal, logic, sink);
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void shouldDeliverControlMessagesInOrderWithOutputsWithoutJournalingThem(final Wiring wiring) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final RecordingSink sink = new RecordingSink(journal);
            final Pipeline pipeline = wiring.start(settings(Layout.DEDICATED), journal, new EchoLogic(), sink);
            final UnsafeBuffer control = new UnsafeBuffer(new byte[8]);
            final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
            final HeartbeatEncoder enc = new HeartbeatEncoder();
            final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
            for (int i = 1; i <= 100; i++) {
                enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i);
                assertEquals(i, pipeline.tryPublish(i, 7, i, buf, 0, MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength()));
                control.putLong(0, -i);
                assertTrue(pipeline.tryPublishControl(7, i, control, 0, 8));
            }
            pipeline.awaitDispatched(30, TimeUnit.SECONDS);
            pipeline.close();
            assertEquals(200, sink.outputs.size());
            for (int i = 1; i <= 100; i++) {
                assertArrayEquals(new long[] {i, i, i}, sink.outputs.get(2 * i - 2), "output of event " + i);
                assertArrayEquals(new long[] {-1, i, -i}, sink.outputs.get(2 * i - 1), "control after event " + i);
            }
            assertEquals(100, journal.lastSequence(), "control messages take no sequence and are not journaled");
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void tryPublishReturnsMinusOneWhenTheRingIsFullAndPublishesNothing(final Wiring wiring) throws Exception {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final RecordingSink sink = new RecordingSink(null) {
            @Override
            public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                 final int offset, final int length) {
                try {
                    release.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
            }
        };
        final PipelineSettings small = new PipelineSettings(8, Topology.resolve(Layout.COMBINED, WaitKind.BLOCKING, 2), 1, 4096, 64, 64);
        final Pipeline pipeline = wiring.start(small, null, new EchoLogic(), sink);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder enc = new HeartbeatEncoder();
        final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength();
        int accepted = 0;
        long last = 0;
        for (int i = 1; i <= 20; i++) {
            enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i);
            final long seq = pipeline.tryPublish(i, 7, i, buf, 0, length);
            if (seq < 0) {
                break;
            }
            last = seq;
            accepted++;
        }
        assertTrue(accepted >= 8 && accepted <= 9, "ring of 8 (+1 held by the stalled stage) took " + accepted);
        assertEquals(last, pipeline.lastSequence(), "a refused publish takes no sequence");
        assertFalse(pipeline.tryPublishControl(7, 0, buf, 0, 8));
        release.countDown();
        enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(99);
        assertEquals(last + 1, pipeline.publish(99, 7, 99, buf, 0, length), "the next sequence follows without a gap");
        pipeline.awaitDispatched(30, TimeUnit.SECONDS);
        pipeline.close();
        assertEquals(accepted + 1, sink.outputs.size());
    }

    @Test
    void shouldContinueJournalSequenceFromFirstSequence() {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final Pipeline first = Pipeline.start(settings(Layout.DEDICATED), journal, new EchoLogic(), new RecordingSink(null));
            publishHeartbeats(first, 10);
            first.close();
            final PipelineSettings next = new PipelineSettings(1024, Topology.resolve(Layout.COMBINED, WaitKind.BLOCKING, 2),
                    journal.lastSequence() + 1, 4096, 64, 64);
            final RecordingSink sink = new RecordingSink(journal);
            final Pipeline second = Pipeline.start(next, journal, new EchoLogic(), sink);
            publishHeartbeats(second, 5);
            second.close();
            assertEquals(15, journal.lastSequence());
            assertEquals(11, sink.outputs.get(0)[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("wiringsAndLayouts")
    void shouldCountABusinessFailureGiveThatEventNoOutputsAndMoveOn(final Wiring wiring, final Layout layout) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final RecordingSink sink = new RecordingSink(journal);
            final EchoLogic logic = new EchoLogic();
            logic.failOn = 5;
            final Pipeline pipeline = wiring.start(settings(layout), journal, logic, sink);
            publishHeartbeats(pipeline, 10);
            pipeline.close();
            final List<Long> seqs = new ArrayList<>();
            sink.outputs.forEach(o -> seqs.add(o[0]));
            assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L), seqs);
            assertEquals(1, pipeline.businessErrors());
            assertEquals(10, journal.lastSequence(), "the failed event is still journaled");
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void shouldStopAndEmitNothingMoreWhenTheJournalFails(final Wiring wiring) {
        final Journal journal = Journal.open(JournalConfig.builder(dir).build());
        final RecordingSink sink = new RecordingSink(null);
        final Pipeline pipeline = wiring.start(settings(Layout.DEDICATED), journal, new EchoLogic(), sink);
        publishHeartbeats(pipeline, 3);
        pipeline.awaitDispatched(10, TimeUnit.SECONDS);
        journal.close();
        final PipelineException e = assertThrows(PipelineException.class, () -> {
            publishHeartbeats(pipeline, 2000);
            pipeline.awaitDispatched(10, TimeUnit.SECONDS);
        });
        assertTrue(e.getMessage().contains("journal stage failed"), e.getMessage());
        assertEquals(3, sink.outputs.size(), "nothing dispatched after the journal failed");
        assertThrows(PipelineException.class, () -> publishHeartbeats(pipeline, 1));
        pipeline.close();
    }

    /** A sink that throws (the gateway's answer path) stops the pipeline like a journal failure: nothing after it goes out. */
    @ParameterizedTest
    @MethodSource("wiringsAndLayouts")
    void shouldStopAndEmitNothingMoreWhenDispatchFails(final Wiring wiring, final Layout layout) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final RecordingSink sink = new RecordingSink(journal) {
                @Override
                public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                     final int offset, final int length) {
                    if (sequence == 4) {
                        throw new IllegalStateException("answer path broken at 4");
                    }
                    super.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
                }
            };
            final Pipeline pipeline = wiring.start(settings(layout), journal, new EchoLogic(), sink);
            final PipelineException e = assertThrows(PipelineException.class, () -> {
                publishHeartbeats(pipeline, 2000);
                pipeline.awaitDispatched(10, TimeUnit.SECONDS);
            });
            // the stage is named by its thread: dispatch's own in the dedicated layout, the one engine thread otherwise
            final String stage = layout == Layout.DEDICATED ? "dispatch" : "engine";
            final Throwable failure = pipeline.failure();
            assertTrue(failure != null && failure.getMessage().equals(stage + " stage failed at engine sequence 4: answer path broken at 4"),
                layout + ": " + e.getMessage() + " / kept: " + failure);
            assertEquals(3, sink.outputs.size(), "nothing dispatched at or after the failed output: " + sink.outputs.size());
            assertThrows(PipelineException.class, () -> publishHeartbeats(pipeline, 1), "a stopped pipeline takes no more");
            pipeline.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void shouldRefuseAMessageLargerThanTheLimit(final Wiring wiring) {
        final Pipeline pipeline = wiring.start(settings(Layout.COMBINED), null, new EchoLogic(), new RecordingSink(null));
        final UnsafeBuffer big = new UnsafeBuffer(new byte[8192]);
        final PipelineException e = assertThrows(PipelineException.class, () -> pipeline.publish(1, 0, 1, big, 0, 5000));
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
        pipeline.close();
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void shouldRefuseReplayedSequencesThatDoNotIncrease(final Wiring wiring) {
        final Pipeline pipeline = wiring.start(settings(Layout.COMBINED), null, new EchoLogic(), new RecordingSink(null));
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        new HeartbeatEncoder().wrapAndApplyHeader(buf, 0, new MessageHeaderEncoder()).sendTime(1);
        pipeline.publishAt(5, 0, 0, 0, buf, 0, 16);
        for (final long again : new long[] {5, 4}) {
            assertEquals("sequence " + again + " is not after the last published 5",
                assertThrows(PipelineException.class, () -> pipeline.publishAt(again, 0, 0, 0, buf, 0, 16)).getMessage());
        }
        pipeline.publishAt(6, 0, 0, 0, buf, 0, 16); // the refusals took nothing: the next one is still 6
        pipeline.close();
    }
}
