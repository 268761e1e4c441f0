package io.ringfence.engine.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code pipeline.cpus} asks for: no pinning, the {@code auto} choice, or explicit CPUs
 * for named stage threads. {@link Topology#resolve} turns it into one CPU per thread once the
 * layout and the number of cores are known.
 */
public final class CpuPlan {
    /** No pinning: the OS schedules every thread. */
    public static final CpuPlan NONE = new CpuPlan(Kind.NONE, Map.of(), List.of());
    /** Chosen from the layout and the cores: see {@link Topology}. */
    public static final CpuPlan AUTO = new CpuPlan(Kind.AUTO, Map.of(), List.of());

    /** What a plan says: nothing pinned, chosen automatically, by thread name, or in thread start order. */
    public enum Kind { NONE, AUTO, BY_NAME, IN_ORDER }

    private final Kind kind;
    private final Map<String, Integer> byName;
    private final List<Integer> inOrder;

    private CpuPlan(final Kind kind, final Map<String, Integer> byName, final List<Integer> inOrder) {
        this.kind = kind;
        this.byName = byName;
        this.inOrder = inOrder;
    }

    /** CPUs for named threads, e.g. {@code {rf-engine: 1}}; other threads stay free. */
    public static CpuPlan byName(final Map<String, Integer> cpus) {
        return new CpuPlan(Kind.BY_NAME, Collections.unmodifiableMap(new LinkedHashMap<>(cpus)), List.of());
    }

    /** CPUs for the stage threads in start order ({@link Topology#threadNames}), e.g. {@code [1, 2, 3]}. */
    public static CpuPlan inOrder(final List<Integer> cpus) {
        return new CpuPlan(Kind.IN_ORDER, Map.of(), List.copyOf(new ArrayList<>(cpus)));
    }

    public Kind kind() {
        return kind;
    }

    Map<String, Integer> byName() {
        return byName;
    }

    List<Integer> inOrder() {
        return inOrder;
    }

    @Override
    public String toString() {
        switch (kind) {
            case NONE: return "none";
            case AUTO: return "auto";
            case BY_NAME: return byName.toString();
            default: return inOrder.toString();
        }
    }
}
