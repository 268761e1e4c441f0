package io.ringfence.engine.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resolved thread layout: which stages share a thread, how waiting threads wait, and which
 * CPU each stage thread is pinned to.
 *
 * <p>{@code auto} never lets more threads spin than there are cores: with fewer than four cores
 * the three stages share one {@link Layout#COMBINED} thread that yields when idle (the producer
 * keeps the other core); with four or more each stage gets its own yielding thread.
 * {@code busy-spin} is only ever chosen explicitly.
 *
 * <p>{@link Layout#INLINE} has no stage thread: the stages run on whichever thread publishes, so
 * there is nothing to pin and no wait strategy is used (a ring that is never waited on).
 *
 * <p>{@link CpuPlan#AUTO} pinning: one core, nothing to gain, nothing pinned; the combined thread on
 * cpu 1 (cpu 0 stays with the OS, the producer and the gateway, which are never pinned); dedicated
 * stages on cpus 1, 2, 3 when there are at least four cores, and nothing pinned below that (three
 * stage threads cannot each have a core of their own, and pinning them together only adds
 * contention).
 */
public final class Topology {
    private final Layout layout;
    private final WaitKind wait;
    private final int cores;
    private final Map<String, Integer> cpus;
    /** The combined layout's one thread: rf-engine, or rf-replica for a snapshot replica. */
    private final String combinedName;

    private Topology(final Layout layout, final WaitKind wait, final int cores, final Map<String, Integer> cpus,
                     final String combinedName) {
        this.layout = layout;
        this.wait = wait;
        this.cores = cores;
        this.cpus = cpus;
        this.combinedName = combinedName;
    }

    /**
     * A snapshot replica's pipeline ({@code snapshot.writer: replica}): one thread, {@code rf-replica},
     * that sleeps when idle (it follows the journal in the background and must never compete with the
     * live engine for a core by spinning), never pinned.
     */
    public static Topology replica(final int cores) {
        return new Topology(Layout.COMBINED, WaitKind.SLEEPING, Math.max(1, cores), Map.of(), "rf-replica");
    }

    /** Without pinning. */
    public static Topology resolve(final Layout layout, final WaitKind wait, final int cores) {
        return resolve(layout, wait, cores, CpuPlan.NONE);
    }

    /**
     * @throws IllegalArgumentException if {@code plan} names a thread the layout does not have, a CPU
     *                                  the machine does not have, or one CPU twice
     */
    public static Topology resolve(final Layout layout, final WaitKind wait, final int cores, final CpuPlan plan) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1: " + cores);
        }
        final Layout l = layout == Layout.AUTO ? (cores >= 4 ? Layout.DEDICATED : Layout.COMBINED) : layout;
        final WaitKind w = wait == WaitKind.AUTO ? WaitKind.YIELDING : wait;
        return new Topology(l, w, cores, Collections.unmodifiableMap(pin(l, cores, plan)), "rf-engine");
    }

    private static Map<String, Integer> pin(final Layout layout, final int cores, final CpuPlan plan) {
        final List<String> names = names(layout, true);
        final Map<String, Integer> out = new LinkedHashMap<>();
        switch (plan.kind()) {
            case NONE:
                break;
            case AUTO:
                if (layout == Layout.COMBINED && cores >= 2) {
                    out.put("rf-engine", 1);
                } else if (layout == Layout.DEDICATED && cores >= names.size() + 1) {
                    for (int i = 0; i < names.size(); i++) {
                        out.put(names.get(i), i + 1);
                    }
                }
                break;
            case BY_NAME:
                for (final Map.Entry<String, Integer> e : plan.byName().entrySet()) {
                    if (layout == Layout.INLINE) {
                        throw new IllegalArgumentException("names thread '" + e.getKey() + "', but the inline layout has no"
                                + " stage threads (the stages run on the publishing thread)");
                    }
                    if (!names.contains(e.getKey())) {
                        throw new IllegalArgumentException("names thread '" + e.getKey() + "', which the "
                                + layout.name().toLowerCase(Locale.ROOT) + " layout does not have (its threads: "
                                + String.join(", ", names) + ")");
                    }
                    put(out, e.getKey(), e.getValue(), cores);
                }
                break;
            case IN_ORDER:
                if (layout == Layout.INLINE && !plan.inOrder().isEmpty()) {
                    throw new IllegalArgumentException("lists cpus, but the inline layout has no stage threads (the stages"
                            + " run on the publishing thread)");
                }
                if (plan.inOrder().size() > names.size()) {
                    throw new IllegalArgumentException("lists " + plan.inOrder().size() + " cpus for the "
                            + names.size() + " thread(s) of the " + layout.name().toLowerCase(Locale.ROOT)
                            + " layout (" + String.join(", ", names) + ")");
                }
                for (int i = 0; i < plan.inOrder().size(); i++) {
                    put(out, names.get(i), plan.inOrder().get(i), cores);
                }
                break;
            default:
                throw new IllegalStateException("unknown cpu plan " + plan);
        }
        return out;
    }

    private static void put(final Map<String, Integer> out, final String thread, final Integer cpu, final int cores) {
        if (cpu == null || cpu < 0 || cpu >= cores) {
            throw new IllegalArgumentException("gives " + thread + " cpu " + cpu + ", but this machine has cpus 0.."
                    + (cores - 1));
        }
        for (final Map.Entry<String, Integer> e : out.entrySet()) {
            if (e.getValue().equals(cpu)) {
                throw new IllegalArgumentException("gives cpu " + cpu + " to both " + e.getKey() + " and " + thread);
            }
        }
        out.put(thread, cpu);
    }

    public Layout layout() {
        return layout;
    }

    public WaitKind waitKind() {
        return wait;
    }

    public int cores() {
        return cores;
    }

    /** Consumer thread names in start order, with or without a journal stage. */
    public List<String> threadNames(final boolean journaled) {
        return layout == Layout.COMBINED ? List.of(combinedName) : names(layout, journaled);
    }

    private static List<String> names(final Layout layout, final boolean journaled) {
        if (layout == Layout.INLINE) {
            return List.of();
        }
        if (layout == Layout.COMBINED) {
            return List.of("rf-engine");
        }
        return journaled ? List.of("rf-journal", "rf-business", "rf-dispatch") : List.of("rf-business", "rf-dispatch");
    }

    /** The CPU a stage thread is pinned to, or -1 when the OS places it. */
    public int cpuOf(final String threadName) {
        final Integer cpu = cpus.get(threadName);
        return cpu == null ? -1 : cpu;
    }

    /** Pinned threads and their CPUs, in start order; empty when nothing is pinned. */
    public Map<String, Integer> cpus() {
        return cpus;
    }

    /** True when more threads could busy-spin than the machine has cores (producer included). */
    public boolean oversubscribesSpinning(final boolean journaled) {
        return wait == WaitKind.BUSY_SPIN && threadNames(journaled).size() + 1 > cores;
    }

    /** As configured: the pinning asked for (a running pipeline's {@link Pipeline#describeThreads()} says what it got). */
    @Override
    public String toString() {
        return describe(cpus.isEmpty() ? "not pinned" : "pinned " + cpus.toString().replace('=', '@'));
    }

    /** This layout in words, with {@code pinning} saying how its threads are pinned. */
    String describe(final String pinning) {
        if (layout == Layout.INLINE) {
            return "inline layout, stages on the publishing thread (no stage thread, no wait) on " + cores + " cores";
        }
        return layout.name().toLowerCase(Locale.ROOT) + " layout, "
                + wait.name().toLowerCase(Locale.ROOT).replace('_', '-') + " wait, threads "
                + threadNames(true) + " on " + cores + " cores, " + pinning;
    }
}
