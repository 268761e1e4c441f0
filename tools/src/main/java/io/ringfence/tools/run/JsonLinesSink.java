package io.ringfence.tools.run;

import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes every dispatched output as one JSON line (DESIGN §4.1), in engine order, and counts
 * outputs by SBE template. Runs on the dispatch thread.
 */
public final class JsonLinesSink implements OutputSink, OutputCounts {
    private final OutputStream out;
    private final JsonOutputWriter writer = new JsonOutputWriter();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final long[] countsByTemplate = new long[64];
    private volatile long written;

    public JsonLinesSink(final OutputStream out) {
        this.out = out;
    }

    @Override
    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                         final int offset, final int length) {
        header.wrap(buffer, offset);
        final int template = header.templateId();
        if (template < countsByTemplate.length) {
            countsByTemplate[template]++;
        }
        try {
            writer.write(buffer, offset, out);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write output", e);
        }
        written++;
    }

    @Override
    public void onEndOfInput(final long lastSequence) {
        try {
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write output", e);
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
}
