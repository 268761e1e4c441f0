package io.ringfence.gateway.admin;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Warns when the heap that survives garbage collections comes close to the heap's limit: the
 * business state is bounded by its caps ({@code fraud.state.max*}, {@code orders.maxOrders},
 * {@code trending}...), but nothing ties those caps to {@code -Xmx}, and a cap raised above what
 * the heap holds only shows hours later, as an {@code OutOfMemoryError}.
 *
 * <p>After every collection (the JVM's GC notifications, on its own notification thread: nothing
 * on the engine's) it reads the old generation's occupancy after that collection (G1 Old Gen,
 * Tenured Gen, PS Old Gen; the one heap pool of ZGC or Shenandoah): the engine allocates nothing
 * per event, so what the old generation holds after a collection, young ones included, is
 * nearly all live state. Above {@code fraction} of its maximum it warns once, and again only after
 * the occupancy fell below {@code fraction - 0.05} and rose past it anew (no flood while the heap
 * stays full).
 */
public final class HeapWatch implements AutoCloseable {
    /** Fraction of the old generation's maximum the heap kept after a collection may reach before the warning. */
    public static final double WARN_AT = 0.85;
    private static final double REARM_BELOW = 0.05;

    private final List<Registration> registrations;
    private final String pool;

    private record Registration(NotificationEmitter emitter, NotificationListener listener) {
    }

    private HeapWatch(final List<Registration> registrations, final String pool) {
        this.registrations = registrations;
        this.pool = pool;
    }

    /**
     * @param fraction of the old generation's maximum (0 &lt; fraction &le; 1)
     * @param warn     receives the warning text (called on a JMX notification thread)
     */
    public static HeapWatch start(final double fraction, final Consumer<String> warn) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
        }
        final String old = oldGeneration();
        final List<Registration> registrations = new ArrayList<>();
        if (old == null) {
            return new HeapWatch(registrations, null);
        }
        final boolean[] above = {false}; // notifications of one JVM come on one thread
        final NotificationListener listener = (final Notification n, final Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            final Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                .getGcInfo().getMemoryUsageAfterGc();
            final MemoryUsage usage = after.get(old);
            if (usage == null || usage.getMax() <= 0) {
                return;
            }
            final double share = (double) usage.getUsed() / usage.getMax();
            if (!above[0] && share > fraction) {
                above[0] = true;
                warn.accept(message(old, usage));
            } else if (above[0] && share < fraction - REARM_BELOW) {
                above[0] = false;
            }
        };
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                registrations.add(new Registration(emitter, listener));
            }
        }
        return new HeapWatch(List.copyOf(registrations), old);
    }

    /**
     * The heap pool the state ends up in: the old or tenured generation of a generational
     * collector, or the single heap pool of ZGC and Shenandoah; null when none has a maximum.
     */
    static String oldGeneration() {
        String single = null;
        int heapPools = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            heapPools++;
            final String name = pool.getName();
            final long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            if ((name.contains("Old") || name.contains("Tenured")) && max > 0) {
                return name;
            }
            if (max > 0) {
                single = name;
            }
        }
        return heapPools == 1 ? single : null;
    }

    static String message(final String pool, final MemoryUsage usage) {
        return String.format("the heap kept after a garbage collection is %,d MB of its %,d MB (%s, %.0f %%): the"
                + " business state is close to the heap's limit (caps raised above what the heap holds, or a state growing"
                + " toward its caps); an OutOfMemoryError would stop the engine (the journal keeps every event). Give the"
                + " server more heap (RINGFENCE_JAVA_OPTS=\"-Xms4g -Xmx4g -XX:+UseG1GC -XX:+AlwaysPreTouch\") or lower the"
                + " caps, docs/performance.md \"GC and JVM flags\"; ringfence_state_full_total and jvm_memory_used_bytes show which",
            usage.getUsed() >> 20, usage.getMax() >> 20, pool, 100.0 * usage.getUsed() / usage.getMax());
    }

    /** The heap pool watched, or null when this collector has none that fits. */
    public String pool() {
        return pool;
    }

    @Override
    public void close() {
        for (final Registration r : registrations) {
            try {
                r.emitter().removeNotificationListener(r.listener());
            } catch (final ListenerNotFoundException e) {
                // already removed
            }
        }
    }
}
