package io.ringfence.engine.config;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.ringfence.engine.pipeline.CpuPlan;
import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.pipeline.Topology;
import io.ringfence.engine.pipeline.WaitKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pipeline:} section: ring size, thread layout and wait strategy.
 *
 * <pre>
 * pipeline:
 *   ringSize: 16384        # slots, a power of two
 *   layout: auto           # auto | dedicated | combined | inline  (inline: the stages on the publishing thread)
 *   waitStrategy: auto     # auto | blocking | sleeping | yielding | busy-spin
 *   cpus: none             # none | auto | {rf-engine: 1} | [1, 2, 3]  (stage threads pinned to cpus)
 *   stageTimes: true       # stamp events per stage for the gateway's latency breakdown (metrics only)
 * </pre>
 */
public final class PipelineConfig {
    public int ringSize = 16_384;
    public String layout = "auto";
    public String waitStrategy = "auto";
    /** {@code none}, {@code auto}, a map of stage thread name to cpu, or a list of cpus in thread start order. */
    @JsonMerge(OptBoolean.FALSE)
    public Object cpus = "none";
    public boolean stageTimes = true;
    /** {@code disruptor} (the product) or {@code array-blocking-queue} (the same stages on queues: a baseline to measure against). */
    public String queue = "disruptor";

    /**
     * Heap one ring slot takes, preallocated: its message buffer (1 KiB), output buffer (2 KiB) and their objects;
     * a ring may take at most a quarter of the heap.
     */
    static final long SLOT_BYTES = 3_400;

    /**
     * The ring size this JVM's heap can hold: {@link #ringSize} when its preallocated slots take at most a quarter of
     * the heap. Otherwise a live engine ({@code refuse}) is refused, naming the size that fits (a ring too large
     * ended in an OutOfMemoryError after minutes, config trial), and a replaying one gets the largest that fits
     * (the ring's size changes no output; a recorded configuration stays readable on a smaller machine). Not part
     * of {@link #validate}: it depends on the JVM, not on the file.
     */
    public int ringSizeForHeap(final String path, final long heapBytes, final boolean refuse) {
        if ((long) ringSize * SLOT_BYTES <= heapBytes / 4) {
            return ringSize;
        }
        final int fits = (int) Math.min(ringSize, Long.highestOneBit(Math.max(64, heapBytes / 4 / SLOT_BYTES)));
        if (refuse) {
            throw new ConfigException(path + ".ringSize", ringSize, String.format(java.util.Locale.ROOT, "needs about %,d MiB of preallocated slots,"
                    + " more than a quarter of this JVM's %,d MiB heap: at most %,d here, or a larger heap"
                    + " (RINGFENCE_JAVA_OPTS=-Xmx...)", (long) ringSize * SLOT_BYTES >> 20, heapBytes >> 20, fits));
        }
        return fits;
    }

    /** @throws ConfigException naming the bad field */
    public void validate(final String path) {
        if (ringSize < 64 || Integer.bitCount(ringSize) != 1) {
            throw new ConfigException(path + ".ringSize", ringSize, "must be a power of two, at least 64");
        }
        if (ringSize > (1 << 22)) {
            throw new ConfigException(path + ".ringSize", ringSize, "is too large (at most 4194304 slots)");
        }
        final Layout l = layout();
        waitKind();
        if (blockingQueues() && l == Layout.INLINE) {
            throw new ConfigException(path + ".layout", layout, "has no queue to hand events over, so it cannot be wired with"
                    + " pipeline.queue: array-blocking-queue (use combined or dedicated for that baseline)");
        }
        topology(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The resolved layout, wait strategy and pinning for a machine with {@code cores} cores.
     *
     * @throws ConfigException naming the bad field
     */
    public Topology topology(final int cores) {
        final CpuPlan plan = cpuPlan();
        try {
            return Topology.resolve(layout(), waitKind(), cores, plan);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException("pipeline.cpus", plan, e.getMessage());
        }
    }

    /** @throws ConfigException if {@code cpus} is not none, auto, a name-to-cpu map or a cpu list */
    public CpuPlan cpuPlan() {
        if (cpus == null) {
            throw new ConfigException("pipeline.cpus", null, "must be none, auto, {thread: cpu, ...} or [cpu, ...]");
        }
        if (cpus instanceof String) {
            final String text = ((String) cpus).trim().toLowerCase(java.util.Locale.ROOT);
            if ("none".equals(text)) {
                return CpuPlan.NONE;
            }
            if ("auto".equals(text)) {
                return CpuPlan.AUTO;
            }
            throw new ConfigException("pipeline.cpus", cpus, "is not none, auto, {thread: cpu, ...} or [cpu, ...]");
        }
        if (cpus instanceof Map) {
            final Map<String, Integer> byName = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> e : ((Map<?, ?>) cpus).entrySet()) {
                byName.put(String.valueOf(e.getKey()), cpu("pipeline.cpus." + e.getKey(), e.getValue()));
            }
            return CpuPlan.byName(byName);
        }
        if (cpus instanceof List) {
            final List<Integer> inOrder = new ArrayList<>();
            final List<?> list = (List<?>) cpus;
            for (int i = 0; i < list.size(); i++) {
                inOrder.add(cpu("pipeline.cpus[" + i + "]", list.get(i)));
            }
            return CpuPlan.inOrder(inOrder);
        }
        throw new ConfigException("pipeline.cpus", cpus, "is not none, auto, {thread: cpu, ...} or [cpu, ...]");
    }

    private static int cpu(final String field, final Object value) {
        if (!(value instanceof Integer) || (Integer) value < 0) {
            throw new ConfigException(field, value, "is not a cpu number (0, 1, ...)");
        }
        return (Integer) value;
    }

    public Layout layout() {
        try {
            return Layout.valueOf(layout.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (final RuntimeException e) {
            throw new ConfigException("pipeline.layout", layout, "is not a layout (auto, dedicated, combined, inline)");
        }
    }

    /** Whether the stages are wired with ArrayBlockingQueues (the baseline) instead of the Disruptor ring. */
    public boolean blockingQueues() {
        final String q = queue == null ? "" : queue.trim().toLowerCase(java.util.Locale.ROOT);
        switch (q) {
            case "disruptor":
                return false;
            case "array-blocking-queue":
                return true;
            default:
                throw new ConfigException("pipeline.queue", queue,
                        "is not a queue (disruptor; array-blocking-queue, a baseline for measurements)");
        }
    }

    public WaitKind waitKind() {
        try {
            return WaitKind.parse(waitStrategy);
        } catch (final RuntimeException e) {
            throw new ConfigException("pipeline.waitStrategy", waitStrategy,
                    "is not a wait strategy (auto, blocking, sleeping, yielding, busy-spin)");
        }
    }
}
