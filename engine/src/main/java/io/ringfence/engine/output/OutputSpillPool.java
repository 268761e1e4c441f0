package io.ringfence.engine.output;

import org.agrona.ExpandableArrayBuffer;

/**
 * Large output buffers shared by all ring slots, so a rare event with a lot of output (an hourly
 * window close can write ~100 KB) borrows one instead of growing its own slot's buffer for good.
 * Without it every slot that ever held a big close keeps a big buffer: 16,384 slots could pin
 * gigabytes, and each first growth allocates.
 *
 * <p>Used by the business thread only: a slot borrows at {@link OutputBuffer#begin()} and gives
 * the buffer back at its next {@link OutputBuffer#reset()}, which the ring orders after the
 * dispatch stage has finished with the slot. Buffers keep the capacity they grew to, so steady
 * state allocates nothing; the pool only holds as many as were ever borrowed at once.
 */
public final class OutputSpillPool {
    /** Capacity of a newly made spill buffer. */
    public static final int SPILL_CAPACITY = 256 * 1024;

    private ExpandableArrayBuffer[] free = new ExpandableArrayBuffer[8];
    private int size;
    private int created;

    ExpandableArrayBuffer borrow() {
        if (size == 0) {
            created++;
            return new ExpandableArrayBuffer(SPILL_CAPACITY);
        }
        final ExpandableArrayBuffer buffer = free[--size];
        free[size] = null;
        return buffer;
    }

    void giveBack(final ExpandableArrayBuffer buffer) {
        if (size == free.length) {
            free = java.util.Arrays.copyOf(free, size * 2);
        }
        free[size++] = buffer;
    }

    /** Spill buffers made so far (each is reused once given back). */
    public int created() {
        return created;
    }

    /** Spill buffers waiting to be borrowed. */
    public int available() {
        return size;
    }
}
