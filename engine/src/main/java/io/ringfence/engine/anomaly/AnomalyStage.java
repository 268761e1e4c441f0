package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.WindowAggregator;

import java.util.List;

/**
 * Anomaly monitoring in the business stage (issue 7 part 5): one {@link AnomalyMonitor} per
 * {@code anomalies:} entry, each listening to its tumbling window's closed intervals, so alerts
 * leave with the event whose time closed the interval. Owns no thread; state is snapshotted in
 * configuration order.
 */
public final class AnomalyStage {
    private final AnomalyMonitor[] monitors;

    /** Creates the monitors and registers each with its window. */
    public AnomalyStage(final List<AnomalyMonitorSpec> specs, final WindowAggregator windows) {
        monitors = new AnomalyMonitor[specs.size()];
        for (int i = 0; i < monitors.length; i++) {
            monitors[i] = new AnomalyMonitor(specs.get(i));
            windows.addCloseListener(specs.get(i).window().name(), monitors[i]);
        }
    }

    /** The monitor of that name. */
    public AnomalyMonitor monitor(final String name) {
        for (final AnomalyMonitor m : monitors) {
            if (m.spec().name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no anomaly monitor named " + name);
    }

    /** At the start of an event: see {@link AnomalyMonitor#begin}. */
    public void begin() {
        for (final AnomalyMonitor m : monitors) {
            m.begin();
        }
    }

    /** The monitors in configuration order (for summaries and metrics; read their counters, nothing else, from other threads). */
    public java.util.List<AnomalyMonitor> monitors() {
        return java.util.List.of(monitors);
    }

    /** True when no monitor is configured (the engine's snapshot then has no anomaly section). */
    public boolean isEmpty() {
        return monitors.length == 0;
    }

    public long stateHash() {
        long h = monitors.length;
        for (final AnomalyMonitor m : monitors) {
            h = AnomalyDetector.mix(h, m.stateHash());
        }
        return h;
    }

    /** An upper bound of the bytes {@link #writeState} writes now, from table sizes. */
    public long stateBytesBound() {
        long b = 4;
        for (final AnomalyMonitor m : monitors) {
            b += m.stateBytesBound();
        }
        return b;
    }

    public void writeState(final StateWriter w) {
        w.putInt(monitors.length);
        for (final AnomalyMonitor m : monitors) {
            m.writeState(w);
        }
    }

    public void readState(final StateReader r) {
        final int n = r.getInt();
        if (n != monitors.length) {
            throw new SnapshotFormatException("the snapshot has " + n + " anomaly monitors, the configuration " + monitors.length);
        }
        for (final AnomalyMonitor m : monitors) {
            m.readState(r);
        }
    }
}
