/**
 * Anomaly monitoring (issue 7 part 5): forecasts of tumbling windows' series and a band of
 * expected ± k·sigma around them, in the business stage.
 *
 * <pre>
 *  TumblingWindow closes [t, t+size) ──▶ AnomalyMonitor (one per anomalies: entry, a WindowCloseListener)
 *  watermark passes empty intervals ──▶     │  one value per tracked key and interval: the metric, 0 or a gap;
 *                                           │  rates: count(subset) / base with n, a gap below minCount (RateSeries)
 *                                           ▼
 *                               AnomalyDetector per key ── HoltWinters (level, damped trend, season of P
 *                                           │               intervals placed by SeasonClock in local time),
 *                                           │               SeasonalMean or BlendForecast (a weighted mean of both)
 *                                           │            └─ spread: per phase, or Poisson / binomial × overdispersion
 *                                           ▼
 *                               AnomalyResult ──▶ AnomalyAlertPublisher ──▶ AnomalyAlert SBE (id 26)
 * </pre>
 *
 * Configuration: {@link io.ringfence.engine.anomaly.AnomalyMonitorConfig} (YAML {@code anomalies:})
 * → {@link io.ringfence.engine.anomaly.AnomalyMonitorSpec#from}; detector settings
 * {@link io.ringfence.engine.anomaly.AnomalyConfig} → {@link io.ringfence.engine.anomaly.AnomalySpec#from}.
 * {@link io.ringfence.engine.anomaly.AnomalyStage} owns the monitors, their snapshot and state hash.
 */
package io.ringfence.engine.anomaly;
