package io.ringfence.gateway.bridge;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest pushes the engine made, whole SBE messages in engine order, kept so a subscriber that
 * comes back (a reconnect, a server restart) can be caught up on what it missed. A byte ring of a
 * fixed capacity: each push is stored as an 8-byte engine sequence, a 4-byte length, the 4-byte
 * position of the push before it and its bytes (aligned to 8); the oldest go when it is full, always
 * every push of one sequence together (but for one sequence larger than its ceiling, whose oldest go one by one), so
 * what is held is complete for every sequence after
 * {@link #heldAfter()}. The back links let a catch-up start where the subscriber stood
 * ({@link #firstFrom}) at a cost of the pushes after it, not of the whole history.
 *
 * <p>It grows past its capacity, up to a ceiling, rather than drop pushes of the sequence being added (one event whose
 * pushes are more than it holds: the timers a backfill left open, all firing at the first live event, 165,000 pushes
 * of which a subscriber got 8,000) or of a sequence a connected subscriber being caught up still needs (the caller's
 * floor); once neither holds, it goes back to its capacity at the next push that needs room, keeping the newest whole
 * sequences that fit (none, when the newest alone does not). At the ceiling it drops them as before (the catch-up then
 * says what is lost).
 *
 * <p>Filled on the dispatch thread from every output, during recovery too (so after a restart it
 * holds the pushes of the journal replayed after the snapshot); read there on a catch-up.
 * Preallocated at its capacity; nothing allocates per push, only a growth does (rare: a burst).
 */
final class PushHistory {
    private static final Logger LOG = LoggerFactory.getLogger(PushHistory.class);
    /** No sequence is needed by a subscriber being caught up. */
    static final long NO_FLOOR = Long.MAX_VALUE;
    private static final int SEQ = 0;
    private static final int LENGTH = 8;
    private static final int PREVIOUS = 12;
    private static final int HEADER = 16;
    private static final int ALIGN = 8;

    /** The ring at {@link #baseCapacity}, kept while a grown one is in use, so going back allocates nothing. */
    private final UnsafeBuffer baseRing;
    private final int baseCapacity;
    private final int maxCapacity;
    /** Whether a growth is logged (the live sink's history; a snapshot replica's twin grows alike, silently). */
    private final boolean warnOnGrowth;
    private UnsafeBuffer ring;
    /** Bytes of the ring in use: {@link #baseCapacity}, or more while grown. Read by other threads as a sizing hint. */
    private volatile int capacity;
    /**
     * Entries lie in [head, tail), or, once {@link #wrapped}, in [head, end) then [0, tail): a push that does not
     * fit before the ring's end goes to 0 and the end's bytes stay unused until the oldest reach them.
     */
    private int head;
    private int tail;
    private int end;
    private boolean wrapped;
    private int entries;
    /** Position of the newest entry; meaningful while {@link #entries} > 0. */
    private int newest;
    private long heldAfter = -1;
    private long newestSeq = -1;

    /** @param capacity bytes; 0 keeps nothing (every catch-up is told its pushes are gone); it never grows */
    PushHistory(final int capacity) {
        this(capacity, capacity, false);
    }

    /**
     * @param capacity    bytes held in the steady state; 0 keeps nothing (every catch-up is told its pushes are gone)
     * @param maxCapacity the most it grows to for one sequence's pushes or a subscriber being caught up; at or below
     *                    {@code capacity} it never grows
     * @param warnOnGrowth whether a growth is logged (once per doubling)
     */
    PushHistory(final int capacity, final int maxCapacity, final boolean warnOnGrowth) {
        this.warnOnGrowth = warnOnGrowth;
        this.baseCapacity = capacity & ~(ALIGN - 1);
        this.maxCapacity = capacity == 0 ? 0 : Math.max(baseCapacity, maxCapacity & ~(ALIGN - 1));
        this.capacity = baseCapacity;
        this.baseRing = new UnsafeBuffer(new byte[Math.max(baseCapacity, ALIGN)]);
        this.ring = baseRing;
    }

    /**
     * The first engine sequence this history sees (a fresh start's first event, or the first replayed after a
     * snapshot): nothing before it is held.
     */
    void start(final long firstSeq) {
        if (heldAfter < 0 && newestSeq < 0) {
            heldAfter = firstSeq - 1;
            newestSeq = firstSeq - 1;
        }
    }

    /** Keeps a push of engine sequence {@code seq} (sequences never decrease), dropping the oldest as needed. */
    void add(final long seq, final DirectBuffer buffer, final int offset, final int length) {
        add(seq, buffer, offset, length, NO_FLOOR);
    }

    /**
     * Keeps a push of engine sequence {@code seq} (sequences never decrease), dropping the oldest as needed, but growing
     * (up to its ceiling) rather than drop a sequence at or after {@code floor} or the sequence being added.
     *
     * @param floor the oldest sequence a connected subscriber being caught up still needs; {@link #NO_FLOOR} for none
     */
    void add(final long seq, final DirectBuffer buffer, final int offset, final int length, final long floor) {
        start(seq);
        newestSeq = seq;
        final int size = align(HEADER + length);
        if (size > baseCapacity / 2) {
            // too large to keep next to anything: nothing at or before it is held whole any more
            clear(seq);
            return;
        }
        while (true) {
            if (entries == 0) {
                head = 0;
                tail = 0;
                wrapped = false;
                break;
            }
            if (!wrapped) {
                if (capacity - tail >= size) {
                    break;
                }
                end = tail;
                tail = 0;
                wrapped = true;
            }
            if (head - tail >= size) {
                break;
            }
            final long oldest = ring.getLong(head + SEQ);
            if (oldest == seq || oldest >= floor) {
                if (grow(size, seq)) {
                    continue;
                }
                if (oldest == seq) {
                    // at the ceiling with only this sequence held: its oldest pushes go, one by one, so the newest of a
                    // burst larger than the ceiling stay (review: dropping the whole sequence kept 2 of 70, and of a
                    // 650,000-push burst some 10,000); it is no longer held whole, which heldAfter says
                    dropOldestEntry();
                    continue;
                }
            } else if (capacity > baseCapacity && floor == NO_FLOOR && shrink(size, seq)) {
                continue;
            }
            dropOldestSequence();
        }
        ring.putLong(tail + SEQ, seq);
        ring.putInt(tail + LENGTH, length);
        ring.putInt(tail + PREVIOUS, entries == 0 ? -1 : newest);
        newest = tail;
        ring.putBytes(tail + HEADER, buffer, offset, length);
        tail += size;
        entries++;
    }

    /**
     * A ring twice as large (at most the ceiling), holding the same entries from its start; false at the ceiling.
     * Allocates: only for a burst, and each burst at most log2(ceiling / capacity) times.
     */
    private boolean grow(final int size, final long seq) {
        final int bytes = heldBytes();
        final long wanted = Math.max(2L * capacity, (long) bytes + size);
        final int grown = (int) Math.min(maxCapacity, (wanted + ALIGN - 1) & ~(long) (ALIGN - 1));
        if (grown <= capacity || grown < bytes + size) {
            return false;
        }
        final long oldest = ring.getLong(head + SEQ); // before the copy moves head (it read the old ring at 0)
        final UnsafeBuffer to = new UnsafeBuffer(new byte[grown]);
        copyInto(to, first());
        capacity = grown;
        if (warnOnGrowth) {
            LOG.warn("push history grown to {} bytes (gateway.pushHistoryBytes {}, pushHistoryMaxBytes {}) to keep {}; it goes back"
                + " to {} bytes once none is needed", grown, baseCapacity, maxCapacity, oldest == seq
                ? "every push of engine sequence " + seq + " (one event's pushes are more than it holds: timers firing at once"
                    + " after a gap in event time, say)"
                : "the pushes from engine sequence " + oldest + " on, which a subscriber being caught up still needs", baseCapacity);
        }
        ring = to;
        return true;
    }

    /**
     * Back to the base ring, with the newest whole sequences that fit beside a push of {@code size} bytes; when not even
     * the newest does, holding none, unless the newest is {@code seq}, the one being added (false: nothing changed).
     */
    private boolean shrink(final int size, final long seq) {
        final int budget = baseCapacity - size;
        int p = newest;
        int start = -1;
        long bytes = 0;
        while (true) {
            bytes += align(HEADER + ring.getInt(p + LENGTH));
            if (bytes > budget) {
                break;
            }
            if (p == head) {
                start = p;
                break;
            }
            final int previous = ring.getInt(p + PREVIOUS);
            if (ring.getLong(previous + SEQ) != ring.getLong(p + SEQ)) {
                start = p; // p begins its sequence: from here to the newest is whole sequences
            }
            p = previous;
        }
        if (start < 0) {
            final long newestHeld = ring.getLong(newest + SEQ);
            if (newestHeld == seq) {
                return false; // the sequence being added does not fit the base ring: it stays grown, whole
            }
            // not even the newest whole sequence fits (a burst, then the next event's first push; review: the ring stayed
            // grown until later pushes filled all of it): back, holding none
            clear(newestHeld);
            return true;
        }
        if (start != head) {
            heldAfter = Math.max(heldAfter, ring.getLong(ring.getInt(start + PREVIOUS) + SEQ));
        }
        copyInto(baseRing, start);
        capacity = baseCapacity;
        ring = baseRing;
        return true;
    }

    /** Copies the entries from {@code from} to the newest to the start of {@code to}, unwrapped, and makes that the ring's layout. */
    private void copyInto(final UnsafeBuffer to, final int from) {
        int at = 0;
        int n = 0;
        int previous = -1;
        for (int p = from; p >= 0; p = next(p)) {
            final int length = ring.getInt(p + LENGTH);
            to.putLong(at + SEQ, ring.getLong(p + SEQ));
            to.putInt(at + LENGTH, length);
            to.putInt(at + PREVIOUS, previous);
            to.putBytes(at + HEADER, ring, p + HEADER, length);
            previous = at;
            at += align(HEADER + length);
            n++;
        }
        head = 0;
        tail = at;
        wrapped = false;
        entries = n;
        newest = previous;
    }

    /** Bytes the entries take, alignment included (what a copy of them needs). */
    private int heldBytes() {
        if (entries == 0) {
            return 0;
        }
        return wrapped ? (end - head) + tail : tail - head;
    }

    /** Drops the oldest entry alone: its sequence is no longer held whole. */
    private void dropOldestEntry() {
        final long seq = ring.getLong(head + SEQ);
        head += align(HEADER + ring.getInt(head + LENGTH));
        entries--;
        if (wrapped && head == end) {
            head = 0;
            wrapped = false;
        }
        if (entries == 0) {
            head = 0;
            tail = 0;
            wrapped = false;
        }
        heldAfter = Math.max(heldAfter, seq);
    }

    /** Drops the oldest entry and every other of its sequence. */
    private void dropOldestSequence() {
        final long seq = ring.getLong(head + SEQ);
        do {
            dropOldestEntry();
        } while (entries > 0 && ring.getLong(head + SEQ) == seq);
    }

    /** Forgets everything: nothing at or before {@code seq} is held. */
    void clear(final long seq) {
        ring = baseRing;
        capacity = baseCapacity;
        head = 0;
        tail = 0;
        wrapped = false;
        entries = 0;
        heldAfter = Math.max(heldAfter, seq);
    }

    /** Forgets everything, as before the first event (a restart of the engine's state from scratch). */
    void reset() {
        clear(-1);
        heldAfter = -1;
        newestSeq = -1;
    }

    /**
     * Every push of every sequence after this one is held; -1 before the first event. A subscriber resuming
     * after an older sequence has lost the pushes in between.
     */
    long heldAfter() {
        return heldAfter;
    }

    /** Bytes it may hold now: its base capacity, or more while grown. Any thread (a hint). */
    int capacity() {
        return capacity;
    }

    /** Bytes it holds in the steady state. */
    int baseCapacity() {
        return baseCapacity;
    }

    /** The most it grows to. */
    int maxCapacity() {
        return maxCapacity;
    }

    /** The most {@link #writeState} writes (as of now: a growth raises it). */
    long stateBytesBound() {
        return 32L + capacity;
    }

    /** Its content, oldest first: what is held and from where, so a restart keeps catching subscribers up. */
    void writeState(final StateWriter w) {
        w.putLong(heldAfter).putLong(newestSeq).putInt(entries);
        for (int p = first(); p >= 0; p = next(p)) {
            w.putLong(seq(p)).putInt(length(p)).putBytes(ring, offset(p), length(p));
        }
    }

    /** What {@link #writeState} wrote, into this history's capacity (which may differ: the oldest then go). */
    void readState(final StateReader r) {
        reset();
        final long held = r.getLong();
        final long newest = r.getLong();
        final int n = r.getInt("pushes held", 0, Integer.MAX_VALUE);
        heldAfter = held;
        this.newestSeq = newest;
        final org.agrona.concurrent.UnsafeBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
        byte[] bytes = new byte[256];
        for (int k = 0; k < n; k++) {
            final long seq = r.getLong();
            final int length = r.getInt("push length", 0, Integer.MAX_VALUE);
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            r.getBytes(bytes, 0, length);
            scratch.wrap(bytes, 0, length);
            add(seq, scratch, 0, length);
        }
        this.newestSeq = newest;
    }

    /** Pushes held. */
    int size() {
        return entries;
    }

    /** Position of the oldest entry, or -1 when empty. */
    int first() {
        return entries == 0 ? -1 : head;
    }

    /**
     * Position of the oldest entry of a sequence at or after {@code seq}, or -1 when none is held: walks from
     * whichever end is nearer by sequence (back from the newest by the back links, or on from the oldest), so a
     * subscriber that was away briefly costs little however much is held.
     */
    int firstFrom(final long seq) {
        if (entries == 0 || ring.getLong(newest + SEQ) < seq) {
            return -1;
        }
        if (seq - ring.getLong(head + SEQ) <= ring.getLong(newest + SEQ) - seq) {
            int p = head;
            while (ring.getLong(p + SEQ) < seq) {
                p = next(p);
            }
            return p;
        }
        int p = newest;
        while (p != head) {
            final int previous = ring.getInt(p + PREVIOUS);
            if (ring.getLong(previous + SEQ) < seq) {
                break;
            }
            p = previous;
        }
        return p;
    }

    /** Position of the entry after the one at {@code position}, or -1 after the newest. */
    int next(final int position) {
        int p = position + align(HEADER + ring.getInt(position + LENGTH));
        if (wrapped && p == end) {
            p = 0;
        }
        return p == tail ? -1 : p;
    }

    long seq(final int position) {
        return ring.getLong(position + SEQ);
    }

    /** Offset in {@link #buffer()} of the push at {@code position} (its SBE message header). */
    int offset(final int position) {
        return position + HEADER;
    }

    int length(final int position) {
        return ring.getInt(position + LENGTH);
    }

    DirectBuffer buffer() {
        return ring;
    }

    private static int align(final int n) {
        return (n + ALIGN - 1) & ~(ALIGN - 1);
    }
}
