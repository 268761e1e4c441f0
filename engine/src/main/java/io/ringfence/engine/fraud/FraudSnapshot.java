package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

/**
 * Snapshot of the fraud feature state ({@link FraudFeatures}): the newest event time (it decides
 * idle eviction) and the four entity tables in a fixed order, each written by the table itself
 * ({@link EntityTable#writeState}). Rules, lists and model are configuration, covered by the
 * snapshot's configuration digest, not state.
 *
 * <p>Kept apart from {@code FraudFeatures} so the feature code and its snapshot can change
 * independently.
 */
public final class FraudSnapshot {
    private static final int MARKER = 0x46524144; // "FRAD"

    private FraudSnapshot() {
    }

    /** Bytes {@link #write} writes now, from the tables' counters. */
    public static long bytesBound(final FraudScorer scorer) {
        final FraudFeatures f = scorer.features();
        return 4 + 8 + f.users.stateBytesBound() + f.devices.stateBytesBound() + f.ips.stateBytesBound()
            + f.instruments.stateBytesBound();
    }

    public static void write(final FraudScorer scorer, final StateWriter w) {
        final FraudFeatures f = scorer.features();
        w.putInt(MARKER);
        w.putLong(f.sweepClock());
        f.users.writeState(w);
        f.devices.writeState(w);
        f.ips.writeState(w);
        f.instruments.writeState(w);
    }

    /** Restores {@link #write}'s state into a scorer that has seen no event yet. */
    public static void read(final FraudScorer scorer, final StateReader r) {
        final FraudFeatures f = scorer.features();
        r.expect(MARKER, "fraud");
        final long clock = r.getLong();
        if (f.users.size() != 0 || f.devices.size() != 0 || f.ips.size() != 0 || f.instruments.size() != 0) {
            throw new SnapshotFormatException("fraud state is read into a new scorer only");
        }
        f.sweepClock(clock);
        f.users.readState(r);
        f.devices.readState(r);
        f.ips.readState(r);
        f.instruments.readState(r);
    }
}
