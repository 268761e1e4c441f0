package io.ringfence.engine.decision;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.Outcome;
import org.agrona.collections.Long2LongHashMap;

/**
 * The orders and payments decided within {@code decisions.rememberFor} of event time, at most
 * {@code maxRemembered}: for each, the hash of its id (and a payment's result), a 128-bit digest of
 * what it was ({@link ContentDigest}: user, amount, currency, card, device, ...), and the decision it got: outcome, score, first reason and
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
    /** "DEC2": the entries hold a 128-bit content digest ("DECI" held 64 bits; the business marker BUSF refuses those first). */
    private static final int MARKER = 0x44454332;
    private static final int INITIAL = 1024;
    private static final Outcome[] OUTCOMES = Outcome.values();

    /** Longs per entry in {@link #entries}: key, digest (2), time, sequence, score bits, outcome (+ {@link #HAS_REASON}). */
    private static final int STRIDE = 7;
    private static final int KEY = 0;
    private static final int DIGEST_HIGH = 1;
    private static final int DIGEST_LOW = 2;
    private static final int TIME = 3;
    private static final int SEQ = 4;
    private static final int SCORE = 5;
    private static final int OUTCOME = 6;
    /** In an entry's outcome word: the decision had a reason, held in {@link #reasons}. */
    private static final long HAS_REASON = 1L << 32;

    private final long rememberFor;
    private final int max;
    private final Long2LongHashMap index = new Long2LongHashMap(INITIAL, 0.65f, NONE);
    /**
     * The entries side by side (one or two cache lines each: a lookup, an insert and a forget touch one entry, not
     * seven arrays; review measured the seven-array layout at +0.5-0.8 us an event in perf/run logic).
     */
    private long[] entries = new long[INITIAL * STRIDE];
    /** The first reason of each entry that has one ({@link #HAS_REASON}); written only then. */
    private byte[] reasons = new byte[INITIAL * REASON];
    private int capacity = INITIAL;
    /** Number of the oldest entry held; entry n sits at {@code n & (capacity - 1)}. */
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
            while (oldest < next && entries[slot(oldest) * STRIDE + TIME] < horizon) {
                forgetOldest();
            }
        }
        final long n = index.get(key);
        if (n == NONE) {
            return NONE;
        }
        final int s = slot(n);
        return entries[s * STRIDE + TIME] < newestTime - rememberFor ? NONE : s;
    }

    /** True when an event of {@code time} is already beyond {@code rememberFor} (after {@link #find}): not worth a slot. */
    boolean tooLate(final long time) {
        return time < newestTime - rememberFor;
    }

    /** Remembers the decision {@code verdict} of the order or payment {@code key} decided at {@code seq}. */
    void remember(final long key, final long digestHigh, final long digestLow, final long time, final long seq,
                  final Verdict verdict) {
        if (next - oldest == max) {
            forgetOldest();
            forgottenForRoom++;
        } else if (next - oldest == capacity) {
            grow();
        }
        final int s = slot(next);
        final int e = s * STRIDE;
        entries[e + KEY] = key;
        entries[e + DIGEST_HIGH] = digestHigh;
        entries[e + DIGEST_LOW] = digestLow;
        entries[e + TIME] = time;
        entries[e + SEQ] = seq;
        entries[e + SCORE] = Double.doubleToRawLongBits(verdict.score());
        long outcome = verdict.outcome().ordinal();
        if (verdict.reasonCount() > 0) {
            System.arraycopy(verdict.reasonBytes(0), 0, reasons, s * REASON, REASON);
            outcome |= HAS_REASON;
        }
        entries[e + OUTCOME] = outcome;
        index.put(key, next); // an entry of the same key left in the ring is no longer indexed: it leaves as the oldest
        next++;
    }

    /** True when entry {@code s} was remembered with this content digest. */
    boolean sameContent(final int s, final long digestHigh, final long digestLow) {
        return entries[s * STRIDE + DIGEST_HIGH] == digestHigh && entries[s * STRIDE + DIGEST_LOW] == digestLow;
    }

    long sequence(final int s) {
        return entries[s * STRIDE + SEQ];
    }

    Outcome outcome(final int s) {
        return OUTCOMES[(int) entries[s * STRIDE + OUTCOME]];
    }

    double score(final int s) {
        return Double.longBitsToDouble(entries[s * STRIDE + SCORE]);
    }

    /** True when the entry's decision had a reason; its code is then copied into {@code into} (at least 32 bytes). */
    boolean firstReason(final int s, final byte[] into) {
        if ((entries[s * STRIDE + OUTCOME] & HAS_REASON) == 0) {
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
        return (int) (n & (capacity - 1));
    }

    private void forgetOldest() {
        final long key = entries[slot(oldest) * STRIDE + KEY];
        if (index.get(key) == oldest) {
            index.remove(key);
        }
        oldest++;
    }

    private void grow() {
        final int bigger = capacity * 2;
        final long[] e = new long[bigger * STRIDE];
        final byte[] r = new byte[bigger * REASON];
        for (long n = oldest; n < next; n++) {
            final int from = slot(n);
            final int to = (int) (n & (bigger - 1));
            System.arraycopy(entries, from * STRIDE, e, to * STRIDE, STRIDE);
            System.arraycopy(reasons, from * REASON, r, to * REASON, REASON);
        }
        entries = e;
        reasons = r;
        capacity = bigger;
    }

    /** Hash of everything held, oldest first (the entries' numbers are not state). */
    long stateHash() {
        long h = newestTime * 31 + forgottenForRoom;
        for (long n = oldest; n < next; n++) {
            final int s = slot(n);
            for (int i = 0; i < STRIDE; i++) {
                h = h * 31 + entries[s * STRIDE + i];
            }
            if ((entries[s * STRIDE + OUTCOME] & HAS_REASON) != 0) {
                for (int b = s * REASON; b < s * REASON + REASON; b++) {
                    h = h * 31 + reasons[b];
                }
            }
        }
        return h;
    }

    long stateBytesBound() {
        return 4 + 8 + 8 + 4 + (long) size() * (6 * 8 + 1 + REASON);
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(newestTime).putLong(forgottenForRoom).putInt(size());
        for (long n = oldest; n < next; n++) {
            final int e = slot(n) * STRIDE;
            w.putLong(entries[e + KEY]).putLong(entries[e + DIGEST_HIGH]).putLong(entries[e + DIGEST_LOW])
                    .putLong(entries[e + TIME]).putLong(entries[e + SEQ]).putLong(entries[e + SCORE]);
            final boolean hasReason = (entries[e + OUTCOME] & HAS_REASON) != 0;
            w.putByte((byte) ((int) entries[e + OUTCOME] | (hasReason ? 0x80 : 0)));
            if (hasReason) {
                w.putBytes(reasons, slot(n) * REASON, REASON);
            }
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
            if (next - oldest == capacity) {
                grow();
            }
            final int s = slot(next);
            final int e = s * STRIDE;
            entries[e + KEY] = r.getLong();
            entries[e + DIGEST_HIGH] = r.getLong();
            entries[e + DIGEST_LOW] = r.getLong();
            entries[e + TIME] = r.getLong();
            entries[e + SEQ] = r.getLong();
            entries[e + SCORE] = r.getLong();
            final int o = r.getByte() & 0xFF;
            final int outcome = o & 0x7F;
            if (outcome >= OUTCOMES.length) {
                throw new io.ringfence.engine.snapshot.SnapshotFormatException("decided id " + i + " has outcome " + outcome);
            }
            entries[e + OUTCOME] = outcome | ((o & 0x80) != 0 ? HAS_REASON : 0);
            if ((o & 0x80) != 0) {
                for (int b = 0; b < REASON; b++) {
                    reasons[s * REASON + b] = r.getByte();
                }
            }
            index.put(entries[e + KEY], next);
            next++;
        }
    }
}
