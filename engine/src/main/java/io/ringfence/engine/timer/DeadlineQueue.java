package io.ringfence.engine.timer;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.LongToIntFunction;

import static io.ringfence.engine.model.Mix64.mix;

/**
 * A bounded set of event-time deadlines, at most one per {@code long} key, that hands back due
 * entries in (deadline, key) order: a binary min-heap of parallel primitive arrays plus a key to
 * entry-id index, both sized up front, so no operation allocates once constructed.
 *
 * <p>Each held key has an entry id, fixed while the key is held; the heap slots carry the id and
 * {@code slotOfEntry[id]} says where the entry sits. The hash index (key → id) is touched once
 * per schedule, cancel or removal, never while sifting: a sift step writes only the heap arrays
 * and one {@code int} (re-putting key → heap slot on every swap cost log2(n) hash puts per operation).
 * Entry ids are not in snapshots or the state hash.
 *
 * <p>Two ways to name an entry, chosen at construction:
 * <ul>
 *   <li>{@link #DeadlineQueue(int) keyed}: by key alone ({@link #schedule(long, long)},
 *   {@link #cancel(long)}); the queue keeps a key → entry-id hash index.</li>
 *   <li>{@link #forSlots(int) by slot}: the caller already keeps each key in a slot of its own
 *   table ({@code 0 <= slot < capacity}, one key per slot while it has a deadline) and passes it
 *   as the entry id ({@link #scheduleSlot}, {@link #cancelSlot}, {@link #drainDueSlots}); the
 *   queue keeps no hash index at all. Keys still order ties and are what snapshots hold: a
 *   restore asks the caller for each key's slot ({@link #readState(StateReader, LongToIntFunction)}).</li>
 * </ul>
 *
 * <p>Deterministic: the order of due entries depends only on deadlines and keys (ties broken by
 * the smaller key), and the heap layout only on the sequence of calls, so the same history
 * gives the same {@link #stateHash()} and the same snapshot bytes.
 *
 * <p>Bounded: scheduling a new key when {@link #capacity()} keys are held is refused and counted
 * in {@link #drops()}; rescheduling a key already held always succeeds.
 *
 * <p>Single-threaded (the business thread).
 */
public final class DeadlineQueue {
    /** {@link #deadlineOf} for a key without a deadline. */
    public static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final int MARKER = 0x444c4e51; // "DLNQ"
    private static final long MISSING = -1;

    private final int capacity;
    /** Heap slot → key, deadline and entry id. */
    private final long[] keys;
    private final long[] deadlines;
    private final int[] entries;
    /** Entry id → heap slot. */
    private final int[] slotOfEntry;
    /** Entry ids not in use, a stack; ids {@code >= size} are free once the stack is empty. */
    private final int[] freeEntries;
    private int freeCount;
    /** Key → entry id, or null when the caller's slots are the entry ids. */
    private final Long2LongHashMap entryOfKey;
    private int size;
    private long drops;

    /** A keyed queue. @param capacity the most keys held at once, at least 1 */
    public DeadlineQueue(final int capacity) {
        this(capacity, true);
    }

    /** A queue whose entries the caller names by slot, {@code 0 <= slot < capacity}; no key index. */
    public static DeadlineQueue forSlots(final int capacity) {
        return new DeadlineQueue(capacity, false);
    }

    private DeadlineQueue(final int capacity, final boolean keyed) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity is " + capacity + ", must be 1.." + (1 << 28));
        }
        this.capacity = capacity;
        this.keys = new long[capacity];
        this.deadlines = new long[capacity];
        this.entries = new int[capacity];
        this.slotOfEntry = new int[capacity];
        this.freeEntries = keyed ? new int[capacity] : null;
        // load factor 0.5 and capacity for all keys: the map never resizes
        this.entryOfKey = keyed ? new Long2LongHashMap(capacity * 2, 0.5f, MISSING) : null;
        if (!keyed) {
            Arrays.fill(slotOfEntry, -1);
        }
    }

    /**
     * Sets {@code key}'s deadline, replacing any earlier one.
     *
     * @return false (and one more {@link #drops()}) when the key is new and the queue is full
     */
    public boolean schedule(final long key, final long deadline) {
        checkDeadline(deadline);
        final long entry = keyed().get(key);
        if (entry != MISSING) {
            reschedule(slotOfEntry[(int) entry], deadline);
            return true;
        }
        if (size == capacity) {
            drops++;
            return false;
        }
        final int id = freeCount > 0 ? freeEntries[--freeCount] : size;
        entryOfKey.put(key, id);
        insert(id, key, deadline);
        return true;
    }

    /**
     * Sets the deadline of the entry in the caller's {@code slot}, holding {@code key}, replacing
     * any earlier one (a queue made by {@link #forSlots}). Never refused: there is room for every slot.
     */
    public void scheduleSlot(final int slot, final long key, final long deadline) {
        checkDeadline(deadline);
        final int s = slotOfEntry[checkSlot(slot)];
        if (s >= 0) {
            if (keys[s] != key) {
                throw new IllegalStateException("slot " + slot + " has a deadline for key " + keys[s] + ", not " + key);
            }
            reschedule(s, deadline);
        } else {
            insert(slot, key, deadline);
        }
    }

    /** Removes the deadline of the caller's {@code slot}; false if it had none. */
    public boolean cancelSlot(final int slot) {
        final int s = slotOfEntry[checkSlot(slot)];
        if (s < 0) {
            return false;
        }
        removeAt(s);
        return true;
    }

    /**
     * Of the entries in the heap's first {@code first} positions (its top levels: early deadlines, not in order), the
     * caller's slot with the earliest deadline (the smaller key among equal ones) that {@code eligible} takes, or -1:
     * what an owner that is full may forget to make room when the very first due cannot go. Slot queues only.
     */
    public int earliestSlotAmong(final int first, final java.util.function.IntPredicate eligible) {
        if (entryOfKey != null) {
            throw new IllegalStateException("a keyed deadline queue has no slots");
        }
        int best = -1;
        for (int s = 0; s < Math.min(first, size); s++) {
            if (eligible.test(entries[s]) && (best < 0 || deadlines[s] < deadlines[best]
                    || deadlines[s] == deadlines[best] && keys[s] < keys[best])) {
                best = s;
            }
        }
        return best < 0 ? -1 : entries[best];
    }

    /** The deadline of the caller's {@code slot}, or {@link #NO_DEADLINE}. */
    public long deadlineOfSlot(final int slot) {
        final int s = slotOfEntry[checkSlot(slot)];
        return s < 0 ? NO_DEADLINE : deadlines[s];
    }

    private static void checkDeadline(final long deadline) {
        if (deadline == NO_DEADLINE) {
            throw new IllegalArgumentException("deadline " + deadline + " is the NO_DEADLINE sentinel");
        }
    }

    private int checkSlot(final int slot) {
        if (entryOfKey != null) {
            throw new IllegalStateException("a keyed deadline queue: use schedule(key, deadline) and cancel(key)");
        }
        if (slot < 0 || slot >= capacity) {
            throw new IllegalArgumentException("slot " + slot + " is outside 0.." + (capacity - 1));
        }
        return slot;
    }

    private Long2LongHashMap keyed() {
        if (entryOfKey == null) {
            throw new IllegalStateException("a deadline queue by slot: use scheduleSlot(slot, key, deadline) and cancelSlot(slot)");
        }
        return entryOfKey;
    }

    /** Moves the entry at heap slot {@code s} to a new deadline. */
    private void reschedule(final int s, final long deadline) {
        final long old = deadlines[s];
        deadlines[s] = deadline;
        if (deadline <= old) {
            siftUp(s);
        } else {
            siftDown(s);
        }
    }

    private void insert(final int id, final long key, final long deadline) {
        final int s = size++;
        keys[s] = key;
        deadlines[s] = deadline;
        entries[s] = id;
        slotOfEntry[id] = s;
        siftUp(s);
    }

    /** Removes {@code key}'s deadline; false if it had none. */
    public boolean cancel(final long key) {
        final long entry = keyed().get(key);
        if (entry == MISSING) {
            return false;
        }
        removeAt(slotOfEntry[(int) entry]);
        return true;
    }

    /** {@code key}'s deadline, or {@link #NO_DEADLINE}. */
    public long deadlineOf(final long key) {
        final long entry = keyed().get(key);
        return entry == MISSING ? NO_DEADLINE : deadlines[slotOfEntry[(int) entry]];
    }

    public boolean contains(final long key) {
        return keyed().get(key) != MISSING;
    }

    /** True if the earliest deadline is at or before {@code now}. */
    public boolean hasDue(final long now) {
        return size > 0 && deadlines[0] <= now;
    }

    /** The earliest deadline, or {@link #NO_DEADLINE} when empty. */
    public long peekDeadline() {
        return size == 0 ? NO_DEADLINE : deadlines[0];
    }

    /** The key with the earliest deadline (smallest key among equal deadlines); only when not empty. */
    public long peekKey() {
        if (size == 0) {
            throw new IllegalStateException("the deadline queue is empty");
        }
        return keys[0];
    }

    /** Removes and returns the key with the earliest deadline; only when not empty. */
    public long poll() {
        final long key = peekKey();
        removeAt(0);
        return key;
    }

    /**
     * Removes every entry whose deadline is at or before {@code now}, earliest first, and hands
     * each to {@code handler}. Entries the handler schedules again with a deadline after
     * {@code now} stay for a later drain.
     *
     * @return how many entries were due
     */
    public int drainDue(final long now, final DeadlineHandler handler) {
        int n = 0;
        while (size > 0 && deadlines[0] <= now) {
            final long key = keys[0];
            final long deadline = deadlines[0];
            removeAt(0);
            n++;
            handler.onDeadline(key, deadline);
        }
        return n;
    }

    /** {@link #drainDue} for a queue by slot: the handler is told each entry's slot too. */
    public int drainDueSlots(final long now, final SlotDeadlineHandler handler) {
        int n = 0;
        while (size > 0 && deadlines[0] <= now) {
            final long key = keys[0];
            final long deadline = deadlines[0];
            final int slot = entries[0];
            removeAt(0);
            n++;
            handler.onDeadline(slot, key, deadline);
        }
        return n;
    }

    /** The slot of the entry {@link #pollSlot} would remove, or -1 when empty; changes nothing. */
    public int peekSlot() {
        if (entryOfKey != null) {
            throw new IllegalStateException("a keyed deadline queue has no slots: use peekKey()");
        }
        return size == 0 ? -1 : entries[0];
    }

    /**
     * Removes the entry with the earliest deadline (smallest key among equal deadlines), whether
     * due or not, and hands it to {@code handler} with its slot ({@link #forSlots} queues): how an owner that is full makes
     * room by forgetting what it would forget first.
     *
     * @return false when the queue is empty
     */
    public boolean pollSlot(final SlotDeadlineHandler handler) {
        if (entryOfKey != null) {
            throw new IllegalStateException("a keyed deadline queue has no slots: use poll()");
        }
        if (size == 0) {
            return false;
        }
        final long key = keys[0];
        final long deadline = deadlines[0];
        final int slot = entries[0];
        removeAt(0);
        handler.onDeadline(slot, key, deadline);
        return true;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** New keys refused because the queue was full. */
    public long drops() {
        return drops;
    }

    /** Removes every entry (the drop count stays). */
    public void clear() {
        if (entryOfKey != null) {
            entryOfKey.clear();
        } else {
            for (int i = 0; i < size; i++) {
                slotOfEntry[entries[i]] = -1;
            }
        }
        size = 0;
        freeCount = 0;
    }

    /** A deterministic hash of the entries in heap order and the drop count. */
    public long stateHash() {
        long h = size * 0x9e3779b97f4a7c15L + drops;
        for (int i = 0; i < size; i++) {
            h = mix(h * 31 + keys[i]);
            h = mix(h * 31 + deadlines[i]);
        }
        return h;
    }

    /** Writes the entries in heap order (so a restored queue pops in the same order) and the drop count. */
    /** Bytes {@link #writeState} writes now. */
    public long stateBytesBound() {
        return 16L + 16L * size;
    }

    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putInt(size).putLong(drops);
        w.putLongs(keys, 0, size);
        w.putLongs(deadlines, 0, size);
    }

    /** Replaces this keyed queue's content with what {@link #writeState} wrote. */
    public void readState(final StateReader r) {
        keyed();
        readState(r, null);
    }

    /**
     * Replaces this queue's content with what {@link #writeState} wrote; a queue by slot asks
     * {@code slotOfKey} (the caller's table, restored first) for each key's slot.
     */
    public void readState(final StateReader r, final LongToIntFunction slotOfKey) {
        if ((slotOfKey == null) != (entryOfKey != null)) {
            throw new IllegalStateException(entryOfKey != null ? "a keyed queue restores without slots" : "a queue by slot needs the slots of its keys");
        }
        r.expect(MARKER, "deadline queue");
        final int n = r.getInt("deadline queue size", 0, capacity);
        final long restoredDrops = r.getLong();
        clear();
        r.getLongs(keys, 0, n);
        r.getLongs(deadlines, 0, n);
        for (int i = 0; i < n; i++) {
            if (entryOfKey != null) {
                entries[i] = i;
                slotOfEntry[i] = i;
                if (entryOfKey.put(keys[i], i) != MISSING) {
                    throw new SnapshotFormatException("deadline queue holds key " + keys[i] + " twice");
                }
                continue;
            }
            final int slot = slotOfKey.applyAsInt(keys[i]);
            if (slot < 0 || slot >= capacity) {
                throw new SnapshotFormatException("deadline queue holds key " + keys[i] + ", which has no slot (" + slot + ")");
            }
            if (slotOfEntry[slot] >= 0) {
                throw new SnapshotFormatException("deadline queue holds key " + keys[i] + " at slot " + slot + " twice");
            }
            entries[i] = slot;
            slotOfEntry[slot] = i;
        }
        size = n;
        drops = restoredDrops;
        for (int i = 1; i < n; i++) {
            if (less(i, (i - 1) >>> 1)) {
                throw new SnapshotFormatException("deadline queue entry " + i + " is out of heap order");
            }
        }
    }

    private void removeAt(final int s) {
        if (entryOfKey != null) {
            entryOfKey.remove(keys[s]);
            freeEntries[freeCount++] = entries[s];
        } else {
            slotOfEntry[entries[s]] = -1;
        }
        final int last = --size;
        if (s != last) {
            move(last, s);
            if (s > 0 && less(s, (s - 1) >>> 1)) {
                siftUp(s);
            } else {
                siftDown(s);
            }
        }
    }

    private boolean less(final int a, final int b) {
        return deadlines[a] < deadlines[b] || (deadlines[a] == deadlines[b] && keys[a] < keys[b]);
    }

    /** True if the entry at heap slot {@code a} comes before (deadline, key). */
    private boolean before(final int a, final long deadline, final long key) {
        return deadlines[a] < deadline || (deadlines[a] == deadline && keys[a] < key);
    }

    // The sifts carry the moving entry in locals and shift the others one level, writing it once
    // where it stops: the same layout as swapping it level by level, with half the writes.

    private void siftUp(int s) {
        final long key = keys[s];
        final long deadline = deadlines[s];
        final int entry = entries[s];
        while (s > 0) {
            final int parent = (s - 1) >>> 1;
            if (!(deadline < deadlines[parent] || (deadline == deadlines[parent] && key < keys[parent]))) {
                break; // the parent comes first
            }
            move(parent, s);
            s = parent;
        }
        put(s, key, deadline, entry);
    }

    private void siftDown(int s) {
        final long key = keys[s];
        final long deadline = deadlines[s];
        final int entry = entries[s];
        while (true) {
            final int left = 2 * s + 1;
            if (left >= size) {
                break;
            }
            final int right = left + 1;
            final int child = right < size && less(right, left) ? right : left;
            if (!before(child, deadline, key)) {
                break;
            }
            move(child, s);
            s = child;
        }
        put(s, key, deadline, entry);
    }

    private void put(final int s, final long key, final long deadline, final int entry) {
        keys[s] = key;
        deadlines[s] = deadline;
        entries[s] = entry;
        slotOfEntry[entry] = s;
    }

    private void move(final int from, final int to) {
        keys[to] = keys[from];
        deadlines[to] = deadlines[from];
        entries[to] = entries[from];
        slotOfEntry[entries[to]] = to;
    }

}
