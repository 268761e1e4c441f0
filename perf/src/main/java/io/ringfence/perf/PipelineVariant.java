package io.ringfence.perf;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.BlockingQueuePipeline;
import io.ringfence.engine.pipeline.DisruptorPipeline;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The two wirings {@code perf/run pipeline} compares, each a fresh {@link Engine} (journal,
 * business logic, stage threads) built from the same configuration but for {@code pipeline.queue}:
 * the product's {@link DisruptorPipeline}, and the {@link BlockingQueuePipeline} baseline running
 * the same stages over ArrayBlockingQueues.
 */
enum PipelineVariant {
    DISRUPTOR("disruptor", "disruptor"),
    ABQ("abq", "array-blocking-queue");

    final String label;
    private final String queue;

    PipelineVariant(final String label, final String queue) {
        this.label = label;
        this.queue = queue;
    }

    /** Starts a fresh engine journaling into {@code dir} (unless not {@code journaled}); {@code config} is not changed. */
    Running start(final EngineConfig config, final Path dir, final boolean journaled, final OutputSink sink) {
        final String before = config.pipeline.queue;
        config.pipeline.queue = queue;
        final Engine engine;
        try {
            engine = journaled ? Engine.journaled(config, dir, sink) : Engine.replaying(config, 1, sink);
        } finally {
            config.pipeline.queue = before;
        }
        final Pipeline p = engine.pipeline();
        final boolean queues = this == ABQ;
        return new Running() {
            @Override
            public void publish(final long ingest, final long clientSeq, final DirectBuffer b, final int length) {
                p.publish(ingest, 0, clientSeq, b, 0, length);
            }

            @Override
            public void awaitDispatched() {
                p.awaitDispatched(10, TimeUnit.MINUTES);
            }

            @Override
            public String topology() {
                // the wait strategy named is the Disruptor's; queue threads wait in the queues' lock and condition
                final String t = p.describeThreads();
                return queues ? t.replaceFirst("[a-z-]+ wait", "ArrayBlockingQueue take/put") : t;
            }

            @Override
            public int ringSize() {
                return p.ringSize();
            }

            @Override
            public void close() {
                p.publishEndOfInput();
                engine.close();
            }
        };
    }

    /** A started engine of one variant. */
    interface Running extends AutoCloseable {
        void publish(long ingestTimeMicros, long clientSeq, DirectBuffer buffer, int length);

        void awaitDispatched();

        String topology();

        /** Slots of the ring in use (the inline layout's is 64 whatever the configuration says). */
        int ringSize();

        @Override
        void close();
    }
}
