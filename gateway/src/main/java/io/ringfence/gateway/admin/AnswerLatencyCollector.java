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
 * locking of the recording thread).
 *
 * <ul>
 *   <li>{@code ringfence_answer_latency_seconds{quantile="0.5"|"0.9"|"0.99"|"0.999"|"0.9999"}}:
 *       percentiles over the interval since the previous scrape (NaN when nothing was answered in
 *       it), the usual meaning of a summary's quantiles (a recent window, not all time);</li>
 *   <li>{@code ringfence_answer_latency_seconds_count} and {@code _sum}: every answer since start
 *       (intervals added up; the sum is the histogram's, exact to its 3 significant digits);</li>
 *   <li>{@code ringfence_answer_latency_max_seconds}: the largest latency of the interval.</li>
 * </ul>
 *
 * Why a summary and not a gauge per percentile: the quantile label is what dashboards and
 * recording rules expect of client-side percentiles, and count/sum give the rate and mean for
 * free. Why not a Prometheus histogram: its fixed buckets would have to be recorded on the
 * dispatch thread, which is the hot path this endpoint must not touch. Seconds, not microseconds,
 * because Prometheus names use base units; the values keep the microsecond resolution.
 *
 * <p>One scraper is assumed: two scrapers would each see the interval since the other's scrape.
 */
final class AnswerLatencyCollector implements MultiCollector {
    static final String SUMMARY = "ringfence_answer_latency_seconds";
    static final String MAX = "ringfence_answer_latency_max_seconds";
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 0.9999};
    private static final double MICROS_PER_SECOND = 1e6;

    private final DispatchMetrics metrics;
    private long count;
    private double sumSeconds;

    AnswerLatencyCollector(final DispatchMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        final Histogram interval = metrics.latencySinceLastCall();
        final long n = interval.getTotalCount();
        count += n;
        sumSeconds += n == 0 ? 0 : interval.getMean() * n / MICROS_PER_SECOND;
        final Quantiles.Builder quantiles = Quantiles.builder();
        for (final double q : QUANTILES) {
            quantiles.quantile(new Quantile(q, n == 0 ? Double.NaN : interval.getValueAtPercentile(q * 100) / MICROS_PER_SECOND));
        }
        final double max = n == 0 ? Double.NaN : interval.getMaxValue() / MICROS_PER_SECOND;
        return MetricSnapshots.of(
            SummarySnapshot.builder()
                .name(SUMMARY)
                .help("Arrival at the gateway (journaled ingest time) to the answer queued for the session; "
                    + "quantiles over the interval since the previous scrape, count and sum since start")
                .unit(Unit.SECONDS)
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .quantiles(quantiles.build()).count(count).sum(sumSeconds).build())
                .build(),
            GaugeSnapshot.builder()
                .name(MAX)
                .help("Largest arrival-to-answer latency in the interval since the previous scrape (NaN when none)")
                .unit(Unit.SECONDS)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(max).build())
                .build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(SUMMARY, MAX);
    }
}
