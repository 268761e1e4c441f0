package io.ringfence.engine.output;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Large output buffers shared by all ring slots, so a rare event with a lot of output (an hourly
 * window close can write ~100 KB) borrows one instead of growing its own slot's buffer for good.
 * Without it every slot that ever held a big close keeps a big buffer: 16,384 slots could pin
 * gigabytes, and each first growth allocates.
 *
 * <p>The business thread borrows at {@link OutputBuffer#begin()}; the dispatch thread gives the
 * buffer back as soon as it has forwarded the slot's outputs ({@link OutputBuffer#release()}), so
 * only the spills in flight between the two stages are out at once. Buffers keep the capacity
 * they grew to and are reused, so steady state allocates nothing. If more come back than the
 * pool holds, the extra ones are left to the garbage collector.
 */
public final class OutputSpillPool {
    /** Capacity of a newly made spill buffer; it grows on demand and keeps what it grew to. */
    public static final int SPILL_CAPACITY = 64 * 1024;
    private static final int POOL_CAPACITY = 64;

    private final ManyToOneConcurrentArrayQueue<ExpandableArrayBuffer> free =
            new ManyToOneConcurrentArrayQueue<>(POOL_CAPACITY);
    private int created;

    /** Business thread only. */
    ExpandableArrayBuffer borrow() {
        final ExpandableArrayBuffer buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        created++;
        return new ExpandableArrayBuffer(SPILL_CAPACITY);
    }

    /** Any stage thread. */
    void giveBack(final ExpandableArrayBuffer buffer) {
        free.offer(buffer);
    }

    /** Spill buffers made so far (read from the business thread or after the pipeline drained). */
    public int created() {
        return created;
    }

    /** Spill buffers waiting to be borrowed. */
    public int available() {
        return free.size();
    }
}
