package io.ringfence.engine.decision;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.Outcome;
import org.agrona.collections.Long2LongHashMap;

/**
 * The orders and payments decided within {@code decisions.rememberFor} of event time, at most
 * {@code maxRemembered}: for each, the hash of its id (and a payment's result), a digest of what
 * it was (user, amount, currency, ...), and the decision it got: outcome, score, first reason and
 * engine sequence. {@link DecisionStage} answers the same order or payment sent again with that
 * decision instead of scoring (and counting) it twice.
 *
 * <p>A ring in the order ids were decided, indexed by key; the oldest leaves first, when older
 * than {@code rememberFor} behind the newest event time seen here or to make room. Storage grows
 * by doubling up to the cap (a replay tool's engine does not pay for a live server's cap); no
 * allocation otherwise. Deterministic: every change follows from the events, and the whole table
 * is in snapshots.
 */
final class DecidedIds {
    static final int NONE = -1;
    private static final int REASON = Verdict.MAX_REASON_LENGTH;
    private static final int MARKER = 0x44454349; // "DECI"
    private static final int INITIAL = 1024;
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final long rememberFor;
    private final int max;
    private final Long2LongHashMap index = new Long2LongHashMap(INITIAL, 0.65f, NONE);
    private long[] keys = new long[INITIAL];
    private long[] digests = new long[INITIAL];
    private long[] times = new long[INITIAL];
    private long[] sequences = new long[INITIAL];
    private long[] scores = new long[INITIAL];
    private byte[] outcomes = new byte[INITIAL];
    private byte[] reasons = new byte[INITIAL * REASON];
    /** Number of the oldest entry held; entry n sits at {@code n & mask}. */
    private long oldest;
    /** Number the next entry gets. */
    private long next;
    private long newestTime = Long.MIN_VALUE;
    private long forgottenForRoom;

    DecidedIds(final RepeatSpec spec) {
        this.rememberFor = spec.rememberForMicros();
        this.max = spec.maxRemembered();
    }

    /**
     * The entry of {@code key}, or {@link #NONE}; first forgets what {@code time} (the event's, made the newest if it
     * is) puts beyond {@code rememberFor}. An entry older than that but not yet forgotten (an event decided out of time
     * order sits behind a newer one) is not found.
     */
    int find(final long key, final long time) {
        if (time > newestTime) {
            newestTime = time;
            final long horizon = newestTime - rememberFor;
            while (oldest < next && times[slot(oldest)] < horizon) {
                forgetOldest();
            }
        }
        final long n = index.get(key);
        if (n == NONE) {
            return NONE;
        }
        final int s = slot(n);
        return times[s] < newestTime - rememberFor ? NONE : s;
    }

    /** True when an event of {@code time} is already beyond {@code rememberFor} (after {@link #find}): not worth a slot. */
    boolean tooLate(final long time) {
        return time < newestTime - rememberFor;
    }

    /** Remembers the decision {@code verdict} of the order or payment {@code key} decided at {@code seq}. */
    void remember(final long key, final long digest, final long time, final long seq, final Verdict verdict) {
        if (next - oldest == max) {
            forgetOldest();
            forgottenForRoom++;
        } else if (next - oldest == keys.length) {
            grow();
        }
        final int s = slot(next);
        keys[s] = key;
        digests[s] = digest;
        times[s] = time;
        sequences[s] = seq;
        scores[s] = Double.doubleToRawLongBits(verdict.score());
        outcomes[s] = (byte) verdict.outcome().ordinal();
        if (verdict.reasonCount() > 0) {
            System.arraycopy(verdict.reasonBytes(0), 0, reasons, s * REASON, REASON);
        } else {
            java.util.Arrays.fill(reasons, s * REASON, s * REASON + REASON, (byte) 0);
        }
        index.put(key, next); // an entry of the same key left in the ring is no longer indexed: it leaves as the oldest
        next++;
    }

    long digest(final int s) {
        return digests[s];
    }

    long sequence(final int s) {
        return sequences[s];
    }

    Outcome outcome(final int s) {
        return OUTCOMES[outcomes[s]];
    }

    double score(final int s) {
        return Double.longBitsToDouble(scores[s]);
    }

    /** True when the entry's decision had a reason; its code is then copied into {@code into} (at least 32 bytes). */
    boolean firstReason(final int s, final byte[] into) {
        if (reasons[s * REASON] == 0) {
            return false;
        }
        System.arraycopy(reasons, s * REASON, into, 0, REASON);
        return true;
    }

    int size() {
        return (int) (next - oldest);
    }

    long forgottenForRoom() {
        return forgottenForRoom;
    }

    private int slot(final long n) {
        return (int) (n & (keys.length - 1));
    }

    private void forgetOldest() {
        final long key = keys[slot(oldest)];
        if (index.get(key) == oldest) {
            index.remove(key);
        }
        oldest++;
    }

    private void grow() {
        final int capacity = keys.length * 2;
        final long[] k = new long[capacity];
        final long[] d = new long[capacity];
        final long[] t = new long[capacity];
        final long[] q = new long[capacity];
        final long[] sc = new long[capacity];
        final byte[] o = new byte[capacity];
        final byte[] r = new byte[capacity * REASON];
        for (long n = oldest; n < next; n++) {
            final int from = slot(n);
            final int to = (int) (n & (capacity - 1));
            k[to] = keys[from];
            d[to] = digests[from];
            t[to] = times[from];
            q[to] = sequences[from];
            sc[to] = scores[from];
            o[to] = outcomes[from];
            System.arraycopy(reasons, from * REASON, r, to * REASON, REASON);
        }
        keys = k;
        digests = d;
        times = t;
        sequences = q;
        scores = sc;
        outcomes = o;
        reasons = r;
    }

    /** Hash of everything held, oldest first (the entries' numbers are not state). */
    long stateHash() {
        long h = newestTime * 31 + forgottenForRoom;
        for (long n = oldest; n < next; n++) {
            final int s = slot(n);
            h = h * 31 + keys[s];
            h = h * 31 + digests[s];
            h = h * 31 + times[s];
            h = h * 31 + sequences[s];
            h = h * 31 + scores[s];
            h = h * 31 + outcomes[s];
            for (int b = s * REASON; b < s * REASON + REASON; b++) {
                h = h * 31 + reasons[b];
            }
        }
        return h;
    }

    long stateBytesBound() {
        return 4 + 8 + 8 + 4 + (long) size() * (5 * 8 + 1 + REASON);
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(newestTime).putLong(forgottenForRoom).putInt(size());
        for (long n = oldest; n < next; n++) {
            final int s = slot(n);
            w.putLong(keys[s]).putLong(digests[s]).putLong(times[s]).putLong(sequences[s]).putLong(scores[s]);
            w.putByte(outcomes[s]).putBytes(reasons, s * REASON, REASON);
        }
    }

    void readState(final StateReader r) {
        final int marker = r.getInt();
        if (marker != MARKER) {
            throw new io.ringfence.engine.snapshot.SnapshotFormatException(String.format(
                    "expected the decided ids (marker 0x%08x), found 0x%08x", MARKER, marker));
        }
        newestTime = r.getLong();
        forgottenForRoom = r.getLong();
        final int count = r.getInt("decided ids", 0, max);
        for (int i = 0; i < count; i++) {
            if (next - oldest == keys.length) {
                grow();
            }
            final int s = slot(next);
            keys[s] = r.getLong();
            digests[s] = r.getLong();
            times[s] = r.getLong();
            sequences[s] = r.getLong();
            scores[s] = r.getLong();
            final byte o = r.getByte();
            if (o < 0 || o >= OUTCOMES.length) {
                throw new io.ringfence.engine.snapshot.SnapshotFormatException("decided id " + i + " has outcome " + o);
            }
            outcomes[s] = o;
            for (int b = 0; b < REASON; b++) {
                reasons[s * REASON + b] = r.getByte();
            }
            index.put(keys[s], next);
            next++;
        }
    }
}
