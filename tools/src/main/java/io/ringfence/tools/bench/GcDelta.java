package io.ringfence.tools.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Garbage collections between two moments of this JVM (all collectors): how many, and their total time as the JVM reports it. */
record GcDelta(long collections, long millis) {
    /** The totals so far; {@link #since} gives the difference. */
    static GcDelta now() {
        long count = 0;
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new GcDelta(count, millis);
    }

    GcDelta since(final GcDelta start) {
        return new GcDelta(collections - start.collections, millis - start.millis);
    }
}
