package io.ringfence.tools.run;

import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.Outcome;
import org.agrona.DirectBuffer;

/** Decisions by outcome, counted by a sink as it writes them; one thread counts (dispatch), others read after it drained. */
public final class OutcomeCounts {
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DecisionDecoder decision = new DecisionDecoder();
    private final long[] counts = new long[Outcome.values().length];

    /** Counts the output at {@code offset} if it is a decision. */
    public void onOutput(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        if (header.templateId() == DecisionDecoder.TEMPLATE_ID) {
            decision.wrap(buffer, offset + header.encodedLength(), header.blockLength(), header.version());
            counts[decision.outcome().ordinal()]++;
        }
    }

    public long count(final Outcome outcome) {
        return counts[outcome.ordinal()];
    }
}
