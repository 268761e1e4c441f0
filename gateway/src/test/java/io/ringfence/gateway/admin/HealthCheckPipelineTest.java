package io.ringfence.gateway.admin;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.pipeline.BusinessLogic;
import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.PipelineSettings;
import io.ringfence.engine.pipeline.Topology;
import io.ringfence.engine.pipeline.WaitKind;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The stall check on a real pipeline whose business stage hangs. Review: the dispatch position was taken as events
 * published minus slots waiting, so each control slot (subscribe, resend, refusal, session closed) moved it back by one
 * and kept a hung stage hidden; it is now the pipeline's own mark in slots.
 */
class HealthCheckPipelineTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer control = new UnsafeBuffer(new byte[8]);
    private final int length;

    HealthCheckPipelineTest() {
        new HeartbeatEncoder().wrapAndApplyHeader(buf, 0, new MessageHeaderEncoder()).sendTime(1);
        length = MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
    }

    private HealthCheck check(final Pipeline p) {
        return new HealthCheck(() -> null, () -> true, () -> "x", () -> 0, HealthCheck.STUCK_AFTER_NANOS, () -> null,
            () -> -1, 0, p::dispatchedSlots, p::ringOccupancy, clock::get);
    }

    @Test
    void aHungStageIsReportedThoughControlsArriveBetweenChecks() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final BusinessLogic hung = new BusinessLogic() {
            @Override
            public void onEvent(long s, long t, DirectBuffer b, int o, int l, OutputBuffer out) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            @Override public void onEndOfInput(long s, OutputBuffer out) { }
            @Override public long stateHash() { return 0; }
        };
        final Pipeline p = Pipeline.start(new PipelineSettings(1024, Topology.resolve(Layout.DEDICATED, WaitKind.BLOCKING, 2), 1,
            4096, 64, 64), null, hung, (seq, src, cs, b, o, l) -> { });
        try {
            for (int i = 1; i <= 5; i++) {
                p.tryPublish(i, 7, i, buf, 0, length);
            }
            final HealthCheck check = check(p);
            assertNull(check.problems(), "the first check that sees it starts the count");
            assertEquals(true, p.tryPublishControl(7, 0, control, 0, 8)); // a control between the checks
            clock.addAndGet(TimeUnit.SECONDS.toNanos(31));
            final String problems = check.problems();
            assertNotNull(problems, "reported 31 s later, the control notwithstanding");
            assertEquals(true, problems.startsWith("engine stuck: "), problems);
        } finally {
            release.countDown();
            p.close();
        }
    }
}
