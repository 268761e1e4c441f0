package io.ringfence.engine.snapshot;

/**
 * State on the output side of the pipeline that a snapshot must carry along with the business
 * state: the gateway's last client sequence and recent answers per client (so a resend after a
 * restart is still answered from the record, not processed twice). Written on the dispatch thread
 * right after the snapshot's event has been dispatched, so it covers exactly the same events.
 */
public interface OutputState {
    /** Dispatch thread, between two events. Deterministic for a given history. */
    void writeState(StateWriter w);

    /** Before the pipeline starts: restore {@link #writeState}'s state. */
    void readState(StateReader r);

    /** Before the pipeline starts: forget a partly read state (the snapshot was refused). */
    void resetState();

    /**
     * An upper bound of the bytes {@link #writeState} would write now, cheap to compute. Called by
     * the snapshot writer thread to size the next buffer, so it may read the state racily: a
     * slightly stale bound only means the buffer grows later. 0 when unknown.
     */
    default long stateBytesBound() {
        return 0;
    }

    /**
     * Before the pipeline starts: the last engine sequence whose outputs the restored state already holds (the last
     * event dispatched into it), or -1 when unknown. A snapshot written while a start under a new configuration
     * re-decided the journal holds the output side as of a later sequence than its own (what was sent, restored
     * from the snapshot of the configuration before), and the replay after it must not feed those events again.
     */
    default long coveredThrough() {
        return -1;
    }

    /**
     * The events' journal is archiving its cycle files through {@code engineSequence} (after a snapshot, with
     * {@code journal.archive}: no snapshot kept starts before it): what the output side keeps of those events (the
     * answers log) may go to the archive too. The snapshot writer's thread; nothing by default.
     */
    default void archiveThrough(final long engineSequence) {
    }
}
