package io.ringfence.engine.pipeline;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ArrayBlockingQueue baseline runs the real stages with the same guarantees as {@link Pipeline}. */
class BlockingQueuePipelineTest {
    private static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    private static PipelineSettings settings(final Layout layout) {
        return new PipelineSettings(256, Topology.resolve(layout, WaitKind.BLOCKING, 2), 1, 4096, 64, 64);
    }

    private static void publishHeartbeats(final BlockingQueuePipeline pipeline, final int n) {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder enc = new HeartbeatEncoder();
        final MessageHeaderEncoder hdr = new MessageHeaderEncoder();
        for (int i = 1; i <= n; i++) {
            enc.wrapAndApplyHeader(buf, 0, hdr).sendTime(i * 10L);
            pipeline.publish(i, 7, 1000 + i, buf, 0, MessageHeaderEncoder.ENCODED_LENGTH + enc.encodedLength());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"DEDICATED", "COMBINED"})
    void shouldDispatchEveryOutputInOrderAndOnlyAfterItsEventIsJournaled(final Layout layout) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final PipelineTest.RecordingSink sink = new PipelineTest.RecordingSink(journal);
            final PipelineTest.EchoLogic logic = new PipelineTest.EchoLogic();
            final BlockingQueuePipeline pipeline = BlockingQueuePipeline.start(settings(layout), journal, logic, sink);
            publishHeartbeats(pipeline, EVENTS); // far more events than slots: slots are recycled
            pipeline.publishEndOfInput();
            pipeline.awaitDispatched(30, TimeUnit.SECONDS);
            pipeline.close();

            assertEquals(EVENTS, sink.outputs.size());
            for (int i = 0; i < EVENTS; i++) {
                final long[] o = sink.outputs.get(i);
                assertEquals(i + 1, o[0], "engine sequence in order");
                assertEquals(1001 + i, o[1], "client sequence carried");
                assertEquals((i + 1) * 10L, o[2], "payload carried, no slot overwritten early");
            }
            assertEquals(0, sink.notYetJournaled, "an output left before its event was journaled");
            assertEquals(EVENTS, journal.lastSequence());
            assertEquals(1, logic.ended);
            assertEquals(EVENTS, sink.endOfInput);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"DEDICATED", "COMBINED"})
    void shouldCountABusinessFailureGiveThatEventNoOutputsAndMoveOn(final Layout layout) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final PipelineTest.RecordingSink sink = new PipelineTest.RecordingSink(journal);
            final PipelineTest.EchoLogic logic = new PipelineTest.EchoLogic();
            logic.failOn = 5;
            final BlockingQueuePipeline pipeline = BlockingQueuePipeline.start(settings(layout), journal, logic, sink);
            publishHeartbeats(pipeline, 10);
            pipeline.close();
            final List<Long> seqs = new ArrayList<>();
            sink.outputs.forEach(o -> seqs.add(o[0]));
            assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L), seqs);
            assertEquals(1, pipeline.businessErrors());
        }
    }

    @Test
    void shouldStopAndEmitNothingMoreWhenTheJournalFails() {
        final Journal journal = Journal.open(JournalConfig.builder(dir).build());
        final PipelineTest.RecordingSink sink = new PipelineTest.RecordingSink(null);
        final BlockingQueuePipeline pipeline = BlockingQueuePipeline.start(settings(Layout.DEDICATED), journal,
                new PipelineTest.EchoLogic(), sink);
        publishHeartbeats(pipeline, 3);
        pipeline.awaitDispatched(10, TimeUnit.SECONDS);
        journal.close();
        final PipelineException e = assertThrows(PipelineException.class, () -> {
            publishHeartbeats(pipeline, 2000);
            pipeline.awaitDispatched(10, TimeUnit.SECONDS);
        });
        assertTrue(e.getMessage().contains("journal stage failed"), e.getMessage());
        assertEquals(3, sink.outputs.size(), "nothing dispatched after the journal failed");
        pipeline.close();
    }

    @Test
    void shouldRefuseAMessageLargerThanTheLimit() {
        final BlockingQueuePipeline pipeline = BlockingQueuePipeline.start(settings(Layout.COMBINED), null,
                new PipelineTest.EchoLogic(), new PipelineTest.RecordingSink(null));
        assertThrows(PipelineException.class, () -> pipeline.publish(1, 0, 0, new UnsafeBuffer(new byte[8192]), 0, 8192));
        pipeline.close();
    }
}
