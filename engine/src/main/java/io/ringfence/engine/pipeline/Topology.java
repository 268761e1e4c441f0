package io.ringfence.engine.pipeline;

import java.util.List;

/**
 * A resolved thread layout: which stages share a thread and how waiting threads wait.
 *
 * <p>{@code auto} never lets more threads spin than there are cores: with fewer than four cores
 * the three stages share one {@link Layout#COMBINED} thread that yields when idle (the producer
 * keeps the other core); with four or more each stage gets its own yielding thread.
 * {@code busy-spin} is only ever chosen explicitly.
 */
public final class Topology {
    private final Layout layout;
    private final WaitKind wait;
    private final int cores;

    private Topology(final Layout layout, final WaitKind wait, final int cores) {
        this.layout = layout;
        this.wait = wait;
        this.cores = cores;
    }

    public static Topology resolve(final Layout layout, final WaitKind wait, final int cores) {
        final Layout l = layout == Layout.AUTO ? (cores >= 4 ? Layout.DEDICATED : Layout.COMBINED) : layout;
        final WaitKind w = wait == WaitKind.AUTO ? WaitKind.YIELDING : wait;
        return new Topology(l, w, cores);
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
        if (layout == Layout.COMBINED) {
            return List.of("rf-engine");
        }
        return journaled ? List.of("rf-journal", "rf-business", "rf-dispatch") : List.of("rf-business", "rf-dispatch");
    }

    /** True when more threads could busy-spin than the machine has cores (producer included). */
    public boolean oversubscribesSpinning(final boolean journaled) {
        return wait == WaitKind.BUSY_SPIN && threadNames(journaled).size() + 1 > cores;
    }

    @Override
    public String toString() {
        return layout.name().toLowerCase(java.util.Locale.ROOT) + " layout, "
                + wait.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " wait, threads "
                + threadNames(true) + " on " + cores + " cores";
    }
}
