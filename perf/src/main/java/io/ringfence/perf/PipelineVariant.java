package io.ringfence.perf;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.Engine;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.BlockingQueuePipeline;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.PipelineSettings;
import io.ringfence.journal.Journal;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The two wirings {@code perf/run pipeline} compares, each a fresh engine (journal, business logic,
 * stage threads) built from the same configuration: the product's Disruptor {@link Pipeline}, and
 * the {@link BlockingQueuePipeline} baseline running the same stages over ArrayBlockingQueues.
 */
enum PipelineVariant {
    DISRUPTOR("disruptor") {
        @Override
        Running start(final EngineConfig config, final Path dir, final boolean journaled, final OutputSink sink) {
            final Engine engine = journaled ? Engine.journaled(config, dir, sink) : Engine.replaying(config, 1, sink);
            final Pipeline p = engine.pipeline();
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
                    return p.topology().toString();
                }

                @Override
                public void close() {
                    p.publishEndOfInput();
                    engine.close();
                }
            };
        }
    },
    ABQ("abq") {
        @Override
        Running start(final EngineConfig config, final Path dir, final boolean journaled, final OutputSink sink) {
            final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), null);
            final Journal journal = journaled ? Journal.open(config.journal.toJournalConfig(dir, config.input.maxEventBytes)) : null;
            final PipelineSettings settings = new PipelineSettings(config.pipeline.ringSize,
                    config.pipeline.topology(Runtime.getRuntime().availableProcessors()),
                    journal == null ? 1 : journal.lastSequence() + 1, config.input.maxEventBytes, 1024, 2048);
            final BlockingQueuePipeline p = BlockingQueuePipeline.start(settings, journal, logic, sink);
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
                    // the wait strategy is the Disruptor's; these threads wait in the queues' lock and condition
                    return p.topology().toString().replaceFirst("[a-z-]+ wait", "ArrayBlockingQueue take/put");
                }

                @Override
                public void close() {
                    p.publishEndOfInput();
                    try {
                        p.close();
                    } finally {
                        if (journal != null) {
                            journal.close();
                        }
                    }
                }
            };
        }
    };

    final String label;

    PipelineVariant(final String label) {
        this.label = label;
    }

    /** Starts a fresh engine journaling into {@code dir} (unless not {@code journaled}). */
    abstract Running start(EngineConfig config, Path dir, boolean journaled, OutputSink sink);

    /** A started engine of one variant. */
    interface Running extends AutoCloseable {
        void publish(long ingestTimeMicros, long clientSeq, DirectBuffer buffer, int length);

        void awaitDispatched();

        String topology();

        @Override
        void close();
    }
}
