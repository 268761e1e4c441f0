package io.ringfence.tools.run;

import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.Outcome;
import org.agrona.DirectBuffer;

/**
 * Decisions by outcome and the engine's rejects of journaled events by code, counted by a sink as it writes them; one
 * thread counts (dispatch), others read after it drained.
 */
public final class OutcomeCounts {
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DecisionDecoder decision = new DecisionDecoder();
    private final io.ringfence.sbe.RejectDecoder reject = new io.ringfence.sbe.RejectDecoder();
    private final long[] counts = new long[Outcome.values().length];
    /** By the code's wire value (uint16): the engine's rejects of journaled events (INVALID_TRANSITION, UNKNOWN_ORDER). */
    private final long[] engineRejects = new long[1 << 16];

    /** Counts the output at {@code offset} if it is a decision, or the engine's reject of a journaled event. */
    public void onOutput(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        if (header.templateId() == DecisionDecoder.TEMPLATE_ID) {
            decision.wrap(buffer, offset + header.encodedLength(), header.blockLength(), header.version());
            counts[decision.outcome().ordinal()]++;
        } else if (header.templateId() == io.ringfence.sbe.RejectDecoder.TEMPLATE_ID) {
            reject.wrap(buffer, offset + header.encodedLength(), header.blockLength(), header.version());
            if (reject.seq() > 0) { // a refused input line (seq -1) is counted by the command that read it
                engineRejects[reject.codeRaw()]++;
            }
        }
    }

    /**
     * The engine's rejects of journaled events, by code, as {@code INVALID_TRANSITION 12, UNKNOWN_ORDER 3}; "" when none
     * was counted, or when those counted are not all {@code total} of them (a replay's filters or snapshot left some out:
     * review, "12 status rejects (INVALID_TRANSITION 2)").
     */
    public String engineRejects(final long total) {
        long counted = 0;
        for (final long n : engineRejects) {
            counted += n;
        }
        if (counted != total) {
            return "";
        }
        final StringBuilder sb = new StringBuilder();
        for (final io.ringfence.sbe.RejectCode code : io.ringfence.sbe.RejectCode.values()) {
            if (code != io.ringfence.sbe.RejectCode.NULL_VAL && engineRejects[code.value()] > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(code).append(' ').append(String.format("%,d", engineRejects[code.value()]));
            }
        }
        return sb.toString();
    }

    public long count(final Outcome outcome) {
        return counts[outcome.ordinal()];
    }
}
