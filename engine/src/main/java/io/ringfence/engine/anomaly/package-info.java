/**
 * Anomaly monitoring core (issue 7 part 5): forecasts of fixed-interval series and a band of
 * expected ± k·sigma around them. Not yet wired into the pipeline.
 *
 * <pre>
 *  closed tumbling window (count, sum per key and interval)
 *        │  one value per interval, 0 for an interval without events
 *        ▼
 *  AnomalyDetector ── HoltWinters (level, damped trend, season of P intervals)
 *        │          └─ spread per season phase (EWMA of clipped squared one-step errors)
 *        ▼
 *  AnomalyResult (status, observed, expected, band, score) ──▶ AnomalyAlert SBE (id 26), later
 * </pre>
 *
 * Configuration: {@link io.ringfence.engine.anomaly.AnomalyConfig} (YAML binding) →
 * {@link io.ringfence.engine.anomaly.AnomalySpec#from} → {@link io.ringfence.engine.anomaly.AnomalySpec}.
 */
package io.ringfence.engine.anomaly;
