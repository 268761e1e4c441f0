package io.ringfence.engine.pipeline;

/** What a ring slot holds. Fixed numeric codes, never reordered. */
public enum EventKind {
    /** An accepted inbound event: journaled, processed by the business stage, its outputs dispatched. */
    EVENT(1),
    /** An input that was refused at the edge: carries an SBE {@code Reject}; never journaled, dispatched in order. */
    REJECT(2),
    /** End of a finite input (batch run, replay): the business stage closes open windows. Never journaled. */
    END_OF_INPUT(3),
    /**
     * A message for the output side, ordered with the outputs (gateway session changes, subscriptions,
     * re-answers to resent messages): never journaled, skipped by the business stage, handed to
     * {@link OutputSink#onControl} by the dispatch stage.
     */
    CONTROL(4),
    /**
     * Take a snapshot now, covering every event published before (clean shutdown): the business
     * stage writes its state, the dispatch stage adds the output side's and hands it to the
     * writer. Never journaled.
     */
    SNAPSHOT(5),
    /**
     * Take the periodic snapshot that fell due and is still pending (both buffers were busy, or it
     * was put off for room), if a buffer is free now; otherwise nothing. Published by a publisher
     * with nothing else to publish ({@link Pipeline#offerDueSnapshot()}), so a quiet server does not
     * keep a due snapshot pending until its next event. Never journaled.
     */
    SNAPSHOT_IF_DUE(6);

    private final int code;

    EventKind(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
