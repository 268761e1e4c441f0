package io.ringfence.engine.codec;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.WindowResultDecoder;

import java.util.Arrays;

/**
 * A window result's groups and key, read in SBE order (metrics, top items, then key) into reused
 * arrays so the JSON can be written in its own order (key first, top items grouped by metric).
 * Names are kept NUL-padded, {@link WindowResultDecoder#windowLength()} bytes per entry.
 */
final class WindowScratch {
    private static final int NAME = WindowResultDecoder.windowLength();
    private static final int ID = Ids.MAX_ID_BYTES;

    int metricCount;
    byte[] metricNames = new byte[8 * NAME];
    MetricKind[] metricKinds = new MetricKind[8];
    long[] longValues = new long[8];
    double[] doubleValues = new double[8];

    int topCount;
    byte[] topMetrics = new byte[16 * NAME];
    byte[] topItems = new byte[16 * ID];
    long[] occurrences = new long[16];
    /** Per entry: how far its occurrences may exceed the true count (0: exact, or a version-3 message without it). */
    long[] overcounts = new long[16];

    byte[] key = new byte[64];
    int keyLength;

    void read(final WindowResultDecoder d) {
        final WindowResultDecoder.MetricsDecoder metrics = d.metrics();
        metricCount = 0;
        ensureMetrics(metrics.count());
        while (metrics.hasNext()) {
            metrics.next();
            metrics.getName(metricNames, metricCount * NAME);
            metricKinds[metricCount] = metrics.kind();
            longValues[metricCount] = metrics.longValue();
            doubleValues[metricCount] = metrics.doubleValue();
            metricCount++;
        }
        final WindowResultDecoder.TopItemsDecoder top = d.topItems();
        topCount = 0;
        ensureTop(top.count());
        while (top.hasNext()) {
            top.next();
            top.getMetric(topMetrics, topCount * NAME);
            top.getItem(topItems, topCount * ID);
            occurrences[topCount] = top.occurrences();
            final long overcount = top.overcount();
            overcounts[topCount] = overcount == WindowResultDecoder.TopItemsDecoder.overcountNullValue() ? 0 : overcount;
            topCount++;
        }
        keyLength = d.keyLength();
        if (key.length < keyLength) {
            key = new byte[Math.max(keyLength, key.length * 2)];
        }
        d.getKey(key, 0, keyLength);
    }

    private void ensureMetrics(final int count) {
        if (metricKinds.length < count) {
            metricNames = Arrays.copyOf(metricNames, count * NAME);
            metricKinds = Arrays.copyOf(metricKinds, count);
            longValues = Arrays.copyOf(longValues, count);
            doubleValues = Arrays.copyOf(doubleValues, count);
        }
    }

    private void ensureTop(final int count) {
        if (occurrences.length < count) {
            topMetrics = Arrays.copyOf(topMetrics, count * NAME);
            topItems = Arrays.copyOf(topItems, count * ID);
            occurrences = Arrays.copyOf(occurrences, count);
            overcounts = Arrays.copyOf(overcounts, count);
        }
    }
}
