package io.ringfence.gateway.bridge;

import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the dispatch stage counts for operations: decisions by outcome, rejects by code, and the
 * latency from a message's arrival at the gateway (its journaled ingest time) to its answer being
 * queued for the session, in microseconds. Written by the dispatch thread without allocation
 * (atomic arrays, an HdrHistogram {@link Recorder}); read by the metrics endpoint on its own thread.
 */
public final class DispatchMetrics {
    private static final int REJECT_CODES = 128;

    private final AtomicLongArray outcomes = new AtomicLongArray(Outcome.values().length);
    private final AtomicLongArray rejects = new AtomicLongArray(REJECT_CODES);
    /** Latencies above this (60 s) are not recorded. */
    public static final long MAX_LATENCY_MICROS = 60_000_000L;
    /** Up to {@link #MAX_LATENCY_MICROS}, 3 significant digits. */
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final DecisionDecoder decision = new DecisionDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private Histogram interval;

    /** Dispatch thread: an answer (Decision or Reject, SBE with header) was sent. */
    void answered(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.templateId() == DecisionDecoder.TEMPLATE_ID) {
            decision.wrap(buffer, body, header.blockLength(), header.version());
            final Outcome outcome = decision.outcome();
            if (outcome != Outcome.NULL_VAL) {
                outcomes.incrementAndGet(outcome.ordinal());
            }
            final long micros = Math.max(0, IngestClock.epochMicros() - decision.ingestTime());
            if (micros <= MAX_LATENCY_MICROS) {
                latency.recordValue(micros);
            }
        } else if (header.templateId() == RejectDecoder.TEMPLATE_ID) {
            reject.wrap(buffer, body, header.blockLength(), header.version());
            final int code = reject.codeRaw();
            rejects.incrementAndGet(code >= 0 && code < REJECT_CODES ? code : REJECT_CODES - 1);
        }
    }

    /** Decisions with this outcome so far. Any thread. */
    public long decisions(final Outcome outcome) {
        return outcomes.get(outcome.ordinal());
    }

    /** Rejects with this code so far (refusals the engine answered in order; gaps and protocol errors are gateway counters). */
    public long rejects(final RejectCode code) {
        final int c = code.value();
        return rejects.get(c >= 0 && c < REJECT_CODES ? c : REJECT_CODES - 1);
    }

    /**
     * The arrival-to-answer latencies (µs) recorded since the previous call. One reader thread
     * (the metrics endpoint); the returned histogram is reused by the next call.
     */
    public synchronized Histogram latencySinceLastCall() {
        interval = latency.getIntervalHistogram(interval);
        return interval;
    }
}
