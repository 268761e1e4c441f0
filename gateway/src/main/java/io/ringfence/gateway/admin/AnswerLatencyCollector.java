package io.ringfence.gateway.admin;

import io.ringfence.gateway.bridge.DispatchMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The arrival-to-answer latency as a Prometheus summary, from the dispatch stage's HdrHistogram
 * {@link org.HdrHistogram.Recorder}: each scrape takes the interval histogram recorded since the
 * previous scrape ({@link DispatchMetrics#latencySinceLastCall()}, a swap of two histograms, no
 * locking of the recording thread) into the bucket of the current {@value #BUCKET_SECONDS} s, and
 * reports the last {@value #BUCKETS} buckets: a window of about a minute that is the same for every
 * scraper (before 2026-12-06 each scrape reported the interval since the previous one, so two
 * Prometheus servers, or a curl, split it between them and each saw part: review).
 *
 * <ul>
 *   <li>{@code ringfence_answer_latency_seconds{quantile="0.5"|"0.9"|"0.99"|"0.999"|"0.9999"}}:
 *       percentiles over the window (answers taken in by scrapes in the last 50-60 s; NaN when it
 *       holds none), the usual meaning of a summary's quantiles (a recent window, not all time);</li>
 *   <li>{@code ringfence_answer_latency_seconds_count} and {@code _sum}: every answer since start
 *       (intervals added up; the sum is the histogram's, exact to its 3 significant digits);</li>
 *   <li>{@code ringfence_answer_latency_max_seconds}: the largest latency of the window.</li>
 * </ul>
 *
 * Why a summary and not a gauge per percentile: the quantile label is what dashboards and
 * recording rules expect of client-side percentiles, and count/sum give the rate and mean for
 * free. Why not a Prometheus histogram: its fixed buckets would have to be recorded on the
 * dispatch thread, which is the hot path this endpoint must not touch. Seconds, not microseconds,
 * because Prometheus names use base units; the values keep the microsecond resolution.
 *
 * <p>Answers count in the bucket of the scrape that takes them in, so with a scraper every 15 s the
 * window reaches back 60-75 s; with none for longer than the window, the next scrape shows
 * everything since the one before. Admin threads only; about 1 MB of histograms, allocated once.
 */
final class AnswerLatencyCollector implements MultiCollector {
    static final String SUMMARY = "ringfence_answer_latency_seconds";
    static final String MAX = "ringfence_answer_latency_max_seconds";
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 0.9999};
    private static final double MICROS_PER_SECOND = 1e6;
    static final int BUCKETS = 6;
    static final int BUCKET_SECONDS = 10;
    private static final long BUCKET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(BUCKET_SECONDS);
    private static final long NO_SLOT = Long.MIN_VALUE;

    private final java.util.function.Supplier<Histogram> intervals;
    private final java.util.function.LongSupplier nanoClock;
    /** Bucket {@code slot % BUCKETS} holds the answers taken in during time slot {@code slots[i]} ({@link #NO_SLOT}: none yet). */
    private final Histogram[] buckets = new Histogram[BUCKETS];
    private final long[] slots = new long[BUCKETS];
    private final Histogram window;
    private long count;
    private double sumSeconds;

    AnswerLatencyCollector(final DispatchMetrics metrics) {
        this(metrics::latencySinceLastCall, System::nanoTime);
    }

    /** @param intervals the latencies (µs) recorded since the previous call, as {@link DispatchMetrics#latencySinceLastCall()} */
    AnswerLatencyCollector(final java.util.function.Supplier<Histogram> intervals, final java.util.function.LongSupplier nanoClock) {
        this.intervals = intervals;
        this.nanoClock = nanoClock;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Histogram(DispatchMetrics.MAX_LATENCY_MICROS, 3);
            slots[i] = NO_SLOT;
        }
        window = new Histogram(DispatchMetrics.MAX_LATENCY_MICROS, 3);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        final Histogram interval = intervals.get();
        final long taken = interval.getTotalCount();
        count += taken;
        sumSeconds += taken == 0 ? 0 : interval.getMean() * taken / MICROS_PER_SECOND;
        final long slot = Math.floorDiv(nanoClock.getAsLong(), BUCKET_NANOS);
        final int b = (int) Math.floorMod(slot, (long) BUCKETS);
        if (slots[b] != slot) {
            buckets[b].reset();
            slots[b] = slot;
        }
        buckets[b].add(interval);
        window.reset();
        for (int i = 0; i < BUCKETS; i++) {
            if (slots[i] != NO_SLOT && slot - slots[i] < BUCKETS) {
                window.add(buckets[i]);
            }
        }
        final long n = window.getTotalCount();
        final Quantiles.Builder quantiles = Quantiles.builder();
        for (final double q : QUANTILES) {
            quantiles.quantile(new Quantile(q, n == 0 ? Double.NaN : window.getValueAtPercentile(q * 100) / MICROS_PER_SECOND));
        }
        final double max = n == 0 ? Double.NaN : window.getMaxValue() / MICROS_PER_SECOND;
        return MetricSnapshots.of(
            SummarySnapshot.builder()
                .name(SUMMARY)
                .help("Arrival at the gateway (journaled ingest time) to the answer queued for the session; "
                    + "quantiles over about the last minute (the answers scrapes took in during the last 50-60 s), count and sum"
                    + " since start")
                .unit(Unit.SECONDS)
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .quantiles(quantiles.build()).count(count).sum(sumSeconds).build())
                .build(),
            GaugeSnapshot.builder()
                .name(MAX)
                .help("Largest arrival-to-answer latency of the summary's window, about the last minute (NaN when none)")
                .unit(Unit.SECONDS)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(max).build())
                .build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(SUMMARY, MAX);
    }
}
