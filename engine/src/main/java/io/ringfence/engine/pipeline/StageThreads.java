package io.ringfence.engine.pipeline;

import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the stage threads of a {@link Topology} in start order: names them ({@code rf-engine},
 * {@code rf-journal}, ...), makes them daemons, and pins each to its CPU through OpenHFT affinity
 * when the topology says so. Pinning degrades gracefully: where it is unavailable (no JNA, not
 * Linux, a CPU outside the process's set) the thread logs a warning and runs unpinned.
 */
final class StageThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StageThreads.class);

    private final Topology topology;
    private final List<String> names;
    private final AtomicInteger started = new AtomicInteger();

    StageThreads(final Topology topology, final boolean journaled) {
        this.topology = topology;
        this.names = topology.threadNames(journaled);
    }

    @Override
    public Thread newThread(final Runnable r) {
        final int i = started.getAndIncrement();
        final String name = i < names.size() ? names.get(i) : "rf-stage-" + i;
        final int cpu = topology.cpuOf(name);
        final Thread t = new Thread(cpu < 0 ? r : () -> {
            pin(name, cpu);
            r.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** Pins the calling thread to {@code cpu}; warns and carries on unpinned if that fails. */
    static boolean pin(final String name, final int cpu) {
        try {
            if (!Affinity.isJNAAvailable()) {
                LOG.warn("{}: not pinned to cpu {}: thread affinity is unavailable here (no JNA)", name, cpu);
                return false;
            }
            final BitSet want = new BitSet();
            want.set(cpu);
            Affinity.setAffinity(want);
            final BitSet got = Affinity.getAffinity();
            if (!want.equals(got)) {
                LOG.warn("{}: asked for cpu {} but the thread's affinity is {}; running as the OS places it", name, cpu, got);
                return false;
            }
            LOG.info("{} pinned to cpu {}", name, cpu);
            return true;
        } catch (final Throwable e) { // an affinity library failure must not stop the engine
            LOG.warn("{}: not pinned to cpu {}: {}", name, cpu, e.toString());
            return false;
        }
    }
}
