package io.ringfence.gateway;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The gateway's counters, readable from any thread. The I/O thread increments its own counters
 * with a plain read and an ordered write (it is their only writer, so no atomic read-modify-write
 * is needed on the hot path); counters that other threads also write use an atomic add.
 */
public final class GatewayCounters {
    private static final GatewayCounter[] COUNTERS = GatewayCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    /** Adds one. */
    public void increment(final GatewayCounter counter) {
        add(counter, 1);
    }

    /** Adds {@code delta}. */
    public void add(final GatewayCounter counter, final long delta) {
        final int id = counter.id();
        if (counter.sharedWriters()) {
            values.getAndAdd(id, delta);
        } else {
            values.lazySet(id, values.get(id) + delta);
        }
    }

    /** The current value (a volatile read). */
    public long get(final GatewayCounter counter) {
        return values.get(counter.id());
    }

    /** A consistent-enough copy of every counter, for reports and tests. */
    public Map<GatewayCounter, Long> snapshot() {
        final Map<GatewayCounter, Long> copy = new EnumMap<>(GatewayCounter.class);
        for (final GatewayCounter counter : COUNTERS) {
            copy.put(counter, values.get(counter.id()));
        }
        return copy;
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("GatewayCounters{");
        for (final GatewayCounter counter : COUNTERS) {
            final long value = values.get(counter.id());
            if (value != 0) {
                text.append(counter.label()).append('=').append(value).append(' ');
            }
        }
        return text.append('}').toString();
    }
}
