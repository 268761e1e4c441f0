package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.PipelineSettings;
import io.ringfence.engine.pipeline.Topology;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * One engine: its journal (unless replaying), business logic and pipeline, built from a
 * validated {@link EngineConfig}. Closing drains the pipeline and then closes the journal.
 */
public final class Engine implements AutoCloseable {
    private static final int INITIAL_MESSAGE_BYTES = 1024;
    private static final int INITIAL_OUTPUT_BYTES = 2048;

    private final Journal journal;
    private final EngineLogic logic;
    private final Pipeline pipeline;
    private boolean closed;

    private Engine(final Journal journal, final EngineLogic logic, final Pipeline pipeline) {
        this.journal = journal;
        this.logic = logic;
        this.pipeline = pipeline;
    }

    /** An engine that journals into {@code dataDir}, continuing its sequence. */
    public static Engine journaled(final EngineConfig config, final Path dataDir, final OutputSink sink) {
        final List<WindowSpec> specs = config.validate();
        final Journal journal = Journal.open(JournalConfig.builder(dataDir).rollCycle(config.journal.rollCycle)
                .maxPayloadBytes(config.input.maxEventBytes).build());
        try {
            final EngineLogic logic = new EngineLogic(specs);
            final Pipeline pipeline = Pipeline.start(settings(config, journal.lastSequence() + 1), journal, logic, sink);
            return new Engine(journal, logic, pipeline);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** An engine without a journal stage, fed already-journaled events (replay). */
    public static Engine replaying(final EngineConfig config, final long firstSequence, final OutputSink sink) {
        final List<WindowSpec> specs = config.validate();
        final EngineLogic logic = new EngineLogic(specs);
        return new Engine(null, logic, Pipeline.start(settings(config, Math.max(1, firstSequence)), null, logic, sink));
    }

    private static PipelineSettings settings(final EngineConfig config, final long firstSequence) {
        final Topology topology = Topology.resolve(config.pipeline.layout(), config.pipeline.waitKind(),
                Runtime.getRuntime().availableProcessors());
        return new PipelineSettings(config.pipeline.ringSize, topology, firstSequence, config.input.maxEventBytes,
                INITIAL_MESSAGE_BYTES, INITIAL_OUTPUT_BYTES);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Business state; read it only after {@link #close()} or once the pipeline has drained. */
    public EngineLogic logic() {
        return logic;
    }

    /** The journal, or null when replaying. */
    public Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pipeline.close();
        } finally {
            if (journal != null) {
                journal.close();
            }
        }
    }
}
