package io.ringfence.gateway.admin;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Warns when the heap that survives a garbage collection comes close to the heap's limit: the
 * business state is bounded by its caps ({@code fraud.state.max*}, {@code orders.maxOrders},
 * {@code trending}...), but nothing ties those caps to {@code -Xmx}, and a cap raised above what
 * the heap holds only shows hours later, as an {@code OutOfMemoryError} that stops the engine
 * (the journal keeps every event; the server is down until restarted with more heap). Uses the
 * JVM's own collection-usage thresholds of the heap pools that have them (G1's old generation):
 * the JVM checks after each collection and notifies on its own thread, so this costs the engine
 * nothing. The notification comes again only after the usage fell below the threshold.
 */
public final class HeapWatch implements AutoCloseable {
    /** Fraction of a pool's maximum the live heap after a collection may reach before the warning. */
    public static final double WARN_AT = 0.85;

    private final NotificationEmitter emitter;
    private final NotificationListener listener;
    private final List<String> pools;

    private HeapWatch(final NotificationEmitter emitter, final NotificationListener listener, final List<String> pools) {
        this.emitter = emitter;
        this.listener = listener;
        this.pools = pools;
    }

    /**
     * @param fraction of each watched pool's maximum (0 &lt; fraction &le; 1)
     * @param warn     receives the warning text (called on a JMX notification thread)
     */
    public static HeapWatch start(final double fraction, final Consumer<String> warn) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
        }
        final List<String> watched = new ArrayList<>();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            final long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold(Math.max(1, (long) (max * fraction)));
                watched.add(pool.getName());
            }
        }
        final NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        final NotificationListener listener = (final Notification n, final Object handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                final MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) n.getUserData());
                warn.accept(message(info.getPoolName(), info.getUsage()));
            }
        };
        emitter.addNotificationListener(listener, null, null);
        return new HeapWatch(emitter, listener, List.copyOf(watched));
    }

    static String message(final String pool, final MemoryUsage usage) {
        return String.format("the heap kept after a garbage collection is %,d MB of its %,d MB (%s, %.0f %%): the"
                + " business state is close to the heap's limit (caps raised above what the heap holds, or a state growing"
                + " toward its caps); an OutOfMemoryError would stop the engine (the journal keeps every event). Give the"
                + " server more heap (RINGFENCE_JAVA_OPTS=\"-Xms4g -Xmx4g -XX:+UseG1GC -XX:+AlwaysPreTouch\") or lower the"
                + " caps, README \"GC and JVM flags\"; ringfence_state_full_total and jvm_memory_used_bytes show which",
            usage.getUsed() >> 20, usage.getMax() >> 20, pool, 100.0 * usage.getUsed() / usage.getMax());
    }

    /** The heap pools watched (none when the collector offers no collection-usage threshold). */
    public List<String> pools() {
        return pools;
    }

    @Override
    public void close() {
        try {
            emitter.removeNotificationListener(listener);
        } catch (final ListenerNotFoundException e) {
            // already removed
        }
    }
}
