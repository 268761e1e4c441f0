package io.ringfence.engine.pipeline;

import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates the stage threads of a {@link Topology} in start order: names them ({@code rf-engine},
 * {@code rf-journal}, ...), makes them daemons, and pins each to its CPU through OpenHFT affinity
 * when the topology says so. Pinning degrades gracefully: where it is unavailable (no JNA, not
 * Linux, a CPU outside the process's set) the thread logs a warning and runs unpinned, and
 * {@link #pinning} says so: what a topology asked for is not always what the threads got.
 */
final class StageThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StageThreads.class);

    private final Topology topology;
    private final List<String> names;
    private final AtomicInteger started = new AtomicInteger();
    /** Threads created with a cpu to pin to that have not tried yet. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Per thread that tried: null-free; "" when pinned, else why not. */
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    /** Every thread made, so that a close can wait for them ({@link #join}). */
    private final List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();

    StageThreads(final Topology topology, final boolean journaled) {
        this.topology = topology;
        this.names = topology.threadNames(journaled);
    }

    @Override
    public Thread newThread(final Runnable r) {
        final int i = started.getAndIncrement();
        final String name = i < names.size() ? names.get(i) : "rf-stage-" + i;
        final int cpu = topology.cpuOf(name);
        if (cpu >= 0) {
            pending.incrementAndGet();
        }
        final Thread t = new Thread(cpu < 0 ? r : () -> {
            final String failure = pin(name, cpu);
            outcomes.put(name, failure == null ? "" : failure);
            pending.decrementAndGet();
            r.run();
        }, name);
        t.setDaemon(true);
        made.add(t);
        return t;
    }

    /**
     * Waits up to {@code timeoutMillis} in all for the threads made to end (the Disruptor's halt only asks them to):
     * the journal is closed after this, and a stage thread still appending would write into unmapped memory (journal
     * review of 2026-12-06: a failed pipeline's journal stage went on draining). Says which did not end.
     */
    String join(final long timeoutMillis) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final StringBuilder alive = new StringBuilder();
        for (final Thread t : made) {
            if (t == Thread.currentThread()) {
                continue; // a stage closing its own pipeline
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                alive.append(alive.length() == 0 ? "" : ", ").append(t.getName());
            }
        }
        return alive.length() == 0 ? null : alive.toString();
    }

    /**
     * What pinning came to, in words for a topology line: {@code not pinned} when nothing was asked,
     * {@code pinned {rf-engine@1}} when every thread got its cpu, else each thread's outcome, e.g.
     * {@code rf-engine not pinned (asked cpu 1: thread affinity is unavailable here (no JNA))}. Waits
     * up to {@code timeoutMillis} for threads already started to try; one not started yet is "pending".
     */
    String pinning(final long timeoutMillis) {
        final Map<String, Integer> asked = topology.cpus();
        if (asked.isEmpty()) {
            return "not pinned";
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (pending.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        final StringBuilder pinned = new StringBuilder();
        final StringBuilder other = new StringBuilder();
        for (final Map.Entry<String, Integer> e : asked.entrySet()) {
            final String outcome = outcomes.get(e.getKey());
            if (outcome != null && outcome.isEmpty()) {
                pinned.append(pinned.length() == 0 ? "" : ", ").append(e.getKey()).append('@').append(e.getValue());
            } else {
                other.append(other.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(outcome == null ? " pinning pending (asked cpu " + e.getValue() + ")"
                        : " not pinned (asked cpu " + e.getValue() + ": " + outcome + ")");
            }
        }
        if (other.length() == 0) {
            return "pinned {" + pinned + "}";
        }
        return pinned.length() == 0 ? other.toString() : "pinned {" + pinned + "}, " + other;
    }

    /** Pins the calling thread to {@code cpu}; warns and carries on unpinned if that fails. */
    static String pin(final String name, final int cpu) {
        try {
            if (!Affinity.isJNAAvailable()) {
                LOG.warn("{}: not pinned to cpu {}: thread affinity is unavailable here (no JNA)", name, cpu);
                return "thread affinity is unavailable here (no JNA)";
            }
            final BitSet want = new BitSet();
            want.set(cpu);
            Affinity.setAffinity(want);
            final BitSet got = Affinity.getAffinity();
            if (!want.equals(got)) {
                LOG.warn("{}: asked for cpu {} but the thread's affinity is {}; running as the OS places it", name, cpu, got);
                return "its affinity is " + got;
            }
            LOG.info("{} pinned to cpu {}", name, cpu);
            return null;
        } catch (final Throwable e) { // an affinity library failure must not stop the engine
            LOG.warn("{}: not pinned to cpu {}: {}", name, cpu, e.toString());
            return e.toString();
        }
    }
}
