package io.ringfence.engine.snapshot;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Off-heap memory for a snapshot's content, allocated so that no other thread of the JVM waits
 * while it is: {@code ByteBuffer.allocateDirect} zeroes its memory in one call the JVM cannot
 * interrupt for a safepoint, and on a VM that charges 3-5 µs for the first touch of each page a
 * 100 MB buffer kept every thread stopped at the next safepoint for 80-250 ms (the snapshot
 * thread "did not reach the safepoint", {@code -XX:+SafepointTimeout}), which is what the
 * engine's latency tail showed. Here the memory comes from {@code malloc} (fresh pages, nothing
 * written) and is touched a page at a time in a loop the JVM can stop between pages; bulk copies
 * go in chunks of {@value #CHUNK} bytes for the same reason.
 *
 * <p>Accounted with the direct buffers: the snapshot memory held plus the JVM's direct buffers
 * may not exceed {@code -XX:MaxDirectMemorySize} (by default the heap's maximum), and an
 * allocation beyond it throws {@link OutOfMemoryError}, which the snapshot agent handles as
 * before (the snapshot is put off or grown later). Freed explicitly ({@link #free}, once, by
 * whichever thread comes first); never by the garbage collector.
 */
final class SnapshotMemory {
    /** Bytes copied or touched between two chances for a safepoint. */
    static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final AtomicLong HELD = new AtomicLong();
    private static final long LIMIT = limit();
    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> "direct".equals(pool.getName())).findFirst().orElse(null);

    private final long address;
    private final int capacity;
    private final UnsafeBuffer buffer;
    private final AtomicBoolean freed = new AtomicBoolean();

    private SnapshotMemory(final long address, final int capacity) {
        this.address = address;
        this.capacity = capacity;
        this.buffer = new UnsafeBuffer(address, capacity);
    }

    /**
     * {@code capacity} bytes, every page touched (so the business thread writing the snapshot into it
     * later takes no page fault), contents unspecified.
     *
     * @throws OutOfMemoryError when the snapshot memory held would exceed the direct memory limit, or the
     *                          system has none
     */
    static SnapshotMemory allocate(final int capacity) {
        return allocate(capacity, LIMIT);
    }

    /** The same with another limit on the snapshot memory held (tests). */
    static SnapshotMemory allocate(final int capacity, final long limit) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        final long held = HELD.addAndGet(capacity);
        final long direct = DIRECT == null ? 0 : Math.max(0, DIRECT.getMemoryUsed());
        if (held + direct > limit) {
            HELD.addAndGet(-capacity);
            throw new OutOfMemoryError(String.format(java.util.Locale.ROOT, "cannot reserve %,d bytes of snapshot memory:"
                    + " %,d held by snapshots and %,d by direct buffers, the limit is -XX:MaxDirectMemorySize's %,d",
                    capacity, held - capacity, direct, limit));
        }
        final long address;
        try {
            address = UnsafeApi.allocateMemory(Math.max(1, capacity));
        } catch (final RuntimeException | OutOfMemoryError e) {
            HELD.addAndGet(-capacity);
            throw e instanceof OutOfMemoryError ? (OutOfMemoryError) e
                    : new OutOfMemoryError("cannot allocate " + capacity + " bytes of snapshot memory: " + e);
        }
        for (long at = 0; at < capacity; at += PAGE) {
            UnsafeApi.putByte(address + at, (byte) 0); // one store per page, a safepoint poll on the loop's back edge
        }
        return new SnapshotMemory(address, capacity);
    }

    /**
     * Which limit a failed allocation met, for its warning: the count against -XX:MaxDirectMemorySize, or (chaos trial: an
     * address-space limit, ulimit -v, was blamed on -XX:MaxDirectMemorySize) the machine's or the process's own memory.
     */
    static String limitHint(final OutOfMemoryError e) {
        return String.valueOf(e.getMessage()).startsWith("cannot reserve")
                ? "snapshot memory counts against -XX:MaxDirectMemorySize"
                : "the process could not get the memory: its address space (ulimit -v) or the machine's memory is used up";
    }

    /** The memory as an Agrona buffer (bounds-checked like any other). */
    UnsafeBuffer buffer() {
        return buffer;
    }

    int capacity() {
        return capacity;
    }

    /** Copies {@code count} longs of {@code a} from {@code from} to {@code at}, little-endian, in chunks. */
    void putLongs(final int at, final long[] a, final int from, final int count) {
        check(at, (long) count * Long.BYTES);
        if (!LITTLE_ENDIAN) {
            for (int i = 0; i < count; i++) {
                buffer.putLong(at + i * Long.BYTES, a[from + i], StateWriter.ORDER);
            }
            return;
        }
        long src = LONG_ARRAY_BASE + (long) from * Long.BYTES;
        long dst = address + at;
        long left = (long) count * Long.BYTES;
        while (left > 0) {
            final long n = Math.min(left, CHUNK);
            UnsafeApi.copyMemory(a, src, null, dst, n);
            src += n;
            dst += n;
            left -= n;
        }
    }

    /** Copies the first {@code length} bytes into {@code to} (at least that large), in chunks. */
    void copyTo(final SnapshotMemory to, final int length) {
        check(0, length);
        to.check(0, length);
        for (long done = 0; done < length; done += CHUNK) {
            UnsafeApi.copyMemory(address + done, to.address + done, Math.min(CHUNK, length - done));
        }
    }

    private void check(final int at, final long bytes) {
        if (at < 0 || bytes < 0 || at + bytes > capacity) {
            throw new IndexOutOfBoundsException("at=" + at + " bytes=" + bytes + " capacity=" + capacity);
        }
    }

    /** Gives the memory back; the buffer must not be used after. Idempotent. */
    void free() {
        if (freed.compareAndSet(false, true)) {
            UnsafeApi.freeMemory(address);
            HELD.addAndGet(-capacity);
        }
    }

    /** Snapshot memory held now, all buffers together (tests, logs). */
    static long held() {
        return HELD.get();
    }

    private static long limit() {
        return DirectMemoryLimit.bytes();
    }
}
