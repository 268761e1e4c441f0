package io.ringfence.engine;

import io.ringfence.engine.pipeline.OutputSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nothing of the events up to what was sent reaches the output side, neither their outputs nor their dispatch (review:
 * dispatching them again stored Acks over the answers the restored state held, for a client past 32,768 messages);
 * later events and control messages do.
 */
class RedecidedOutputsTest {
    @Test
    void shouldPassNothingOfTheEventsUpToWhatWasSentAndEverythingAfter() {
        final List<String> seen = new ArrayList<>();
        final OutputSink sink = new OutputSink() {
            @Override
            public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                 final int offset, final int length) {
                seen.add("output " + sequence);
            }

            @Override
            public void onEventDispatched(final long sequence, final long sourceId, final long clientSeq,
                                          final DirectBuffer message, final int messageLength) {
                seen.add("dispatched " + sequence);
            }

            @Override
            public void onControl(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset,
                                  final int length) {
                seen.add("control " + sourceId);
            }
        };
        final RedecidedOutputs filter = new RedecidedOutputs(sink, 5);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[8]);
        for (long seq = 4; seq <= 6; seq++) {
            filter.onOutput(seq, 1, seq, bytes, 0, 8);
            filter.onEventDispatched(seq, 1, seq, bytes, 8);
        }
        filter.onControl(9, 0, bytes, 0, 8);
        assertEquals(List.of("output 6", "dispatched 6", "control 9"), seen);
    }
}
