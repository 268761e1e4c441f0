package io.ringfence.engine.trending;

import java.util.Arrays;

/**
 * The categories of a {@link TrendBoard} whose counts changed since they were last examined, as an
 * indexed min-heap by (next check time, slot): the board examines them when their check is due.
 * The order is total, so any heap of the same categories gives them up alike (a restored board
 * rebuilds it from its change flags). A category's check time must not change while it is held.
 * Fixed capacity, allocation-free.
 */
final class DueCategories {
    private static final int NONE = -1;

    private final long[] nextCheck;
    private final int[] heap;
    private final int[] position;
    private int size;

    /** @param nextCheck the board's per-slot check times, read as the heap's keys */
    DueCategories(final long[] nextCheck) {
        this.nextCheck = nextCheck;
        this.heap = new int[nextCheck.length];
        this.position = new int[nextCheck.length];
        Arrays.fill(position, NONE);
    }

    /** True when a held category's check time is at or before {@code now}. */
    boolean dueAt(final long now) {
        return size > 0 && nextCheck[heap[0]] <= now;
    }

    /** The held category with the earliest check time (lowest slot on a tie); only when {@link #dueAt} said so. */
    int first() {
        return heap[0];
    }

    void add(final int c) {
        int i = size++;
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            if (!before(c, heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(c, i);
    }

    void remove(final int c) {
        final int i = position[c];
        position[c] = NONE;
        final int last = heap[--size];
        if (i == size) {
            return;
        }
        int at = i; // the last one takes the place: up if it is before the parent there, else down
        while (at > 0 && before(last, heap[(at - 1) >>> 1])) {
            place(heap[(at - 1) >>> 1], at);
            at = (at - 1) >>> 1;
        }
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], last)) {
                break;
            }
            place(heap[child], at);
            at = child;
        }
        place(last, at);
    }

    void clear() {
        size = 0;
        Arrays.fill(position, NONE);
    }

    private void place(final int c, final int at) {
        heap[at] = c;
        position[c] = at;
    }

    private boolean before(final int a, final int b) {
        return nextCheck[a] != nextCheck[b] ? nextCheck[a] < nextCheck[b] : a < b;
    }
}
