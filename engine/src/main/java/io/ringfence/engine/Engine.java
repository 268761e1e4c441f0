package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.PipelineSettings;
import io.ringfence.engine.pipeline.Topology;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalCorruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * One engine: its journal (unless replaying), business logic and pipeline, built from a
 * validated {@link EngineConfig}. Closing drains the pipeline and then closes the journal.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
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
        return journaled(config, dataDir, sink, null);
    }

    /** The same, with a listener that sees every scored order and payment (tools: train, evaluate). */
    public static Engine journaled(final EngineConfig config, final Path dataDir, final OutputSink sink,
                                   final ScoreListener scoreListener) {
        final List<WindowSpec> specs = config.validate();
        final Journal journal = Journal.open(JournalConfig.builder(dataDir).rollCycle(config.journal.rollCycle)
                .maxPayloadBytes(config.input.maxEventBytes).build());
        try {
            final EngineLogic logic = new EngineLogic(specs, config.fraudSpec(), scoreListener);
            final Pipeline pipeline = Pipeline.start(settings(config, journal.lastSequence() + 1), journal, logic, sink);
            return new Engine(journal, logic, pipeline);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * An engine for a long-running server: opens the journal in {@code dataDir}, first runs every
     * event already in it through a fresh business state (outputs go to {@code recoverySink}, and
     * each record is shown to {@code records}, so the output side can rebuild what it keeps), then
     * starts the live pipeline on the same state, continuing the sequence. The state afterwards
     * equals that of an engine that never stopped (DESIGN §3, §7; snapshots will shorten this).
     */
    public static Engine recovered(final EngineConfig config, final Path dataDir, final OutputSink recoverySink,
                                   final JournalRecordHandler records, final OutputSink liveSink) {
        final List<WindowSpec> specs = config.validate();
        final Journal journal = Journal.open(JournalConfig.builder(dataDir).rollCycle(config.journal.rollCycle)
                .maxPayloadBytes(config.input.maxEventBytes).build());
        try {
            final EngineLogic logic = new EngineLogic(specs, config.fraudSpec());
            final long last = journal.lastSequence();
            if (last > 0) {
                replayInto(config, journal, logic, recoverySink, records);
            }
            final Pipeline pipeline = Pipeline.start(settings(config, last + 1), journal, logic, liveSink);
            return new Engine(journal, logic, pipeline);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    private static void replayInto(final EngineConfig config, final Journal journal, final EngineLogic logic,
                                   final OutputSink sink, final JournalRecordHandler records) {
        final Pipeline replay = Pipeline.start(settings(config, journal.firstSequence()), null, logic, sink);
        try (JournalReader reader = journal.reader()) {
            final JournalRecordHandler feed = (sequence, ingest, sourceId, clientSeq, buffer, offset, length) -> {
                records.onRecord(sequence, ingest, sourceId, clientSeq, buffer, offset, length);
                replay.publishAt(sequence, ingest, sourceId, clientSeq, buffer, offset, length);
            };
            while (reader.next(feed)) {
                // every record up to the journal's end
            }
            final JournalCorruptException end = reader.checkEnd(); // throws if records hide behind an unfinished write
            if (end != null) {
                LOG.warn("recovery read the journal up to sequence {}: {}", end.sequence() - 1, end.getMessage());
            }
        } finally {
            replay.close();
        }
    }

    /** An engine without a journal stage, fed already-journaled events (replay). */
    public static Engine replaying(final EngineConfig config, final long firstSequence, final OutputSink sink) {
        return replaying(config, firstSequence, sink, null);
    }

    /** The same, with a listener that sees every scored order and payment (tools: explain, replay). */
    public static Engine replaying(final EngineConfig config, final long firstSequence, final OutputSink sink,
                                   final ScoreListener scoreListener) {
        final List<WindowSpec> specs = config.validate();
        final EngineLogic logic = new EngineLogic(specs, config.fraudSpec(), scoreListener);
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
