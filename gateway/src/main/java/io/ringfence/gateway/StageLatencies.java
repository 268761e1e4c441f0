package io.ringfence.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Where an answer's time inside the server goes, per stage, from the stage times the engine stamps
 * on each event ({@code pipeline.stageTimes}) and the moment the gateway's write of the answer to
 * the socket returned:
 *
 * <pre>
 *  received ──ring──▶ journal start ──journal──▶ journaled ──business──▶ decided ──dispatch──▶ queued ──outbound──▶ written
 *  (handed to        (the journal stage         (appended)              (scored)             (in the session's  (socket write
 *   the ring)         takes it)                                                               outbound buffer)   returned)
 * </pre>
 *
 * In the {@code dedicated} layout journal and business run in parallel, so "business" is counted
 * from the later of received and journaled and may be 0. Recorded by the gateway I/O thread alone
 * (HdrHistogram {@link SingleWriterRecorder}s: no allocation, no lock); any one other thread takes
 * the intervals ({@link #take}). Nanoseconds, up to 60 s, 3 significant digits. Metrics only.
 */
public final class StageLatencies {
    /** The stages, in order; {@link #TOTAL} is received to written. */
    public enum Stage {
        RING("ring", "received -> journal start: waiting in the input ring for the engine thread"),
        JOURNAL("journal", "journal start -> journaled: the Chronicle append"),
        BUSINESS("business", "journaled -> decided: windows, fraud scoring, decision"),
        DISPATCH("dispatch", "decided -> queued: the dispatch stage hands the answer to the session's outbound buffer"),
        OUTBOUND("outbound", "queued -> written: waiting for the gateway I/O thread, then its socket write"),
        TOTAL("in server", "received -> written");

        private final String label;
        private final String description;

        Stage(final String label, final String description) {
            this.label = label;
            this.description = description;
        }

        public String label() {
            return label;
        }

        public String description() {
            return description;
        }
    }

    private static final long HIGHEST_NANOS = 60_000_000_000L;
    private static final Stage[] STAGES = Stage.values();

    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[STAGES.length];
    private volatile long countFrom = Long.MIN_VALUE;

    public StageLatencies() {
        for (int i = 0; i < recorders.length; i++) {
            recorders[i] = new SingleWriterRecorder(HIGHEST_NANOS, 3);
        }
    }

    /**
     * One answer's stage times (System.nanoTime). I/O thread only. An answer without stage times
     * ({@code received} 0: stage times off, or a reject refused before the ring) is not recorded.
     */
    public void record(final long received, final long journalStart, final long journaled, final long decided, final long queued,
                       final long written) {
        if (received == 0 || received < countFrom) {
            return;
        }
        final long journalDone = journaled == 0 ? received : journaled;
        final long taken = journalStart == 0 ? journalDone : journalStart;
        record(Stage.RING, taken - received);
        record(Stage.JOURNAL, journalDone - taken);
        record(Stage.BUSINESS, decided - Math.max(journalDone, received));
        record(Stage.DISPATCH, queued - Math.max(decided, journalDone));
        record(Stage.OUTBOUND, written - queued);
        record(Stage.TOTAL, written - received);
    }

    /**
     * From now on only answers to events received at or after {@code nanos} (System.nanoTime) are
     * recorded, and what was recorded so far is dropped: a measurement that starts while the
     * warm-up's answers are still on their way leaves them out. Any thread.
     */
    public void countFrom(final long nanos) {
        countFrom = nanos;
        take();
    }

    private void record(final Stage stage, final long nanos) {
        recorders[stage.ordinal()].recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nanos)));
    }

    /**
     * The histograms (ns) recorded since the previous call, one per {@link Stage} in order; a call
     * at the start of a measurement discards what came before. One reader thread at a time.
     */
    public synchronized Histogram[] take() {
        final Histogram[] out = new Histogram[STAGES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = recorders[i].getIntervalHistogram();
        }
        return out;
    }
}
