package io.ringfence.tools.run;

import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes every dispatched output as one JSON line (DESIGN §4.1), in engine order, and counts
 * outputs by SBE template. Runs on the dispatch thread. A write that fails (a closed pipe, a full
 * disk) is kept as {@link #failure()}, later outputs are dropped, and {@code onFailure} is told, so
 * the command stops reading and says what happened in one line (review: the failure was thrown on
 * the engine's thread and ended the run with ~50 lines of stack traces naming no file).
 */
public final class JsonLinesSink implements OutputSink, OutputCounts {
    private final OutputStream out;
    private final JsonOutputWriter writer = new JsonOutputWriter();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final long[] countsByTemplate = new long[64];
    private final OutcomeCounts outcomes = new OutcomeCounts();
    private volatile long written;
    private volatile IOException failure;
    private final Runnable onFailure;

    public JsonLinesSink(final OutputStream out) {
        this(out, () -> { });
    }

    /** @param onFailure told once, on the dispatch thread, when a write fails */
    public JsonLinesSink(final OutputStream out, final Runnable onFailure) {
        this.out = out;
        this.onFailure = onFailure;
    }

    /** The write that failed, or null. */
    public IOException failure() {
        return failure;
    }

    private void failed(final IOException e) {
        if (failure == null) {
            failure = e;
            onFailure.run();
        }
    }

    @Override
    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                         final int offset, final int length) {
        header.wrap(buffer, offset);
        final int template = header.templateId();
        if (template < countsByTemplate.length) {
            countsByTemplate[template]++;
        }
        outcomes.onOutput(buffer, offset);
        if (failure != null) {
            return;
        }
        try {
            writer.write(buffer, offset, out);
        } catch (final IOException e) {
            failed(e);
            return;
        }
        written++;
    }

    @Override
    public void onEndOfInput(final long lastSequence) {
        if (failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (final IOException e) {
            failed(e);
        }
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public long count(final int templateId) {
        return templateId < countsByTemplate.length ? countsByTemplate[templateId] : 0;
    }

    @Override
    public long decisions(final io.ringfence.sbe.Outcome outcome) {
        return outcomes.count(outcome);
    }

    @Override
    public String engineRejects(final long total) {
        return outcomes.engineRejects(total);
    }
}
