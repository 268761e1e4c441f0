package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.WindowResultEncoder;

/**
 * Encodes one closed tumbling window of one key as a {@code WindowResult} SBE message.
 *
 * <p>Fields:
 * <ul>
 *   <li>{@code seq}: the engine sequence of the event that closed the window (or of the flush);
 *       {@code start}/{@code end}: the window {@code [start, end)} in epoch microseconds.</li>
 *   <li>{@code window}: the configured name, NUL padded.</li>
 *   <li>{@code currency}: the currency of this result in money windows (state is per key and
 *       currency); three NUL bytes (an empty string to SBE decoders) in windows without money
 *       metrics.</li>
 *   <li>{@code count}: contributions (events, or item lines for sku/category keys), whether or
 *       not {@code count} is configured. {@code lateTotal}: late events of this window definition
 *       so far (cumulative, all keys).</li>
 *   <li>{@code key}: the caller's id bytes unchanged; composite parts joined by '|'.</li>
 * </ul>
 *
 * <p>Metrics group, one entry per configured metric except plain {@code count} and {@code topk}, in
 * configuration order:
 * <pre>
 *   metric            name            kind     longValue            doubleValue
 *   sum(amount)       sum             MONEY    minor units          same as double
 *   min(amount)       min             MONEY    minor units          same as double
 *   max(amount)       max             MONEY    minor units          same as double
 *   mean(amount)      mean            MONEY    sum/count half-even  exact sum/count
 *   stddev(amount)    stddev          MONEY    rounded half-even    population stddev, minor units
 *   sum(qty)          sumQty          COUNT    exact                same as double
 *   min(qty)/max(qty) minQty/maxQty   COUNT    exact                same as double
 *   mean(qty)         meanQty         NUMBER   0                    sum/count
 *   stddev(qty)       stddevQty       NUMBER   0                    population stddev
 *   distinct(f)       distinctF       COUNT    exact ≤ 32, else HLL same as double  (never above count where
 *                                                                              each contribution adds one value)
 *   count(failed)     countFailed     COUNT    exact                same as double  (attempts, declined, held alike)
 * </pre>
 * TopItems group: for each {@code topk(f, k)} in configuration order, up to k entries
 * {@code (metric = "topkF", item = the id, occurrences, overcount)} by occurrences descending, ties by item
 * bytes ascending (see {@link TopKSketch} for the error bound; overcount 0 = an exact count).
 */
final class WindowResultPublisher {
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final WindowResultEncoder result = new WindowResultEncoder();
    private final WindowSpec spec;
    private final Metric[] groupMetrics;
    private final Metric[] topkMetrics;
    private final int[] topkReported;

    WindowResultPublisher(final WindowSpec spec) {
        this.spec = spec;
        int g = 0;
        int t = 0;
        for (final Metric m : spec.metrics()) {
            if (m.fn() == Metric.Fn.TOPK) {
                t++;
            } else if (m.fn() != Metric.Fn.COUNT || m.subset() != null) {
                g++;
            }
        }
        groupMetrics = new Metric[g];
        topkMetrics = new Metric[t];
        topkReported = new int[t];
        g = 0;
        t = 0;
        for (final Metric m : spec.metrics()) {
            if (m.fn() == Metric.Fn.TOPK) {
                topkMetrics[t++] = m;
            } else if (m.fn() != Metric.Fn.COUNT || m.subset() != null) {
                groupMetrics[g++] = m;
            }
        }
    }

    void publish(final long seq, final long start, final long lateTotal, final PaneState s, final OutputBuffer out) {
        final int at = out.begin();
        result.wrapAndApplyHeader(out.buffer(), at, header)
            .seq(seq)
            .start(start)
            .end(start + spec.sizeMicros())
            .putWindow(spec.nameBytes(), 0)
            .putCurrency(s.entry.currency, 0)
            .count(s.count)
            .lateTotal(lateTotal);

        final WindowResultEncoder.MetricsEncoder metrics = result.metricsCount(groupMetrics.length);
        int distinct = 0;
        int subset = 0;
        for (final Metric m : groupMetrics) {
            metrics.next().putName(m.outputNameBytes(), 0).kind(m.kind());
            final NumericStats stats = m.numeric() == Metric.Numeric.QTY ? s.qty : s.amount;
            long lv = 0;
            double dv;
            switch (m.fn()) {
                case COUNT: lv = s.subsets[subset++]; dv = lv; break;
                case SUM: lv = stats.sum(); dv = lv; break;
                case MIN: lv = stats.min(); dv = lv; break;
                case MAX: lv = stats.max(); dv = lv; break;
                case MEAN:
                    if (m.kind() == MetricKind.MONEY) {
                        lv = stats.meanRounded();
                    }
                    dv = stats.meanExact();
                    break;
                case STDDEV:
                    dv = stats.stddev();
                    if (m.kind() == MetricKind.MONEY) {
                        lv = (long) Math.rint(dv);
                    }
                    break;
                default: // an estimate above the values added is surely too high (HLL beyond 32 values): cut to the count
                    // where each contribution adds one value (not an item field of orders in a window without a sku/category key)
                    final long estimate = s.distinct[distinct++].count();
                    final boolean linesPerContribution = m.field().itemLevel() && !spec.itemLevelKey()
                            && spec.accepts(EventType.ORDER);
                    lv = linesPerContribution ? estimate : Math.min(estimate, s.count);
                    dv = lv;
                    break;
            }
            metrics.longValue(lv).doubleValue(dv);
        }

        int items = 0;
        for (int i = 0; i < topkMetrics.length; i++) {
            topkReported[i] = s.topk[i].prepareOutput();
            items += topkReported[i];
        }
        final WindowResultEncoder.TopItemsEncoder top = result.topItemsCount(items);
        for (int i = 0; i < topkMetrics.length; i++) {
            final TopKSketch sketch = s.topk[i];
            for (int r = 0; r < topkReported[i]; r++) {
                top.next().putMetric(topkMetrics[i].outputNameBytes(), 0);
                sketch.putItem(r, top);
                top.occurrences(sketch.countAt(r)).overcount(sketch.overcountAt(r));
            }
        }
        result.putKey(s.entry.keyText, 0, s.entry.keyLength);
        out.commit(at, MessageHeaderEncoder.ENCODED_LENGTH + result.encodedLength());
    }
}
