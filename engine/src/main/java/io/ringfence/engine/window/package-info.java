/**
 * Windowed aggregation (DESIGN.md §5): named tumbling and sliding windows over event time.
 *
 * <pre>
 *  inbound event ──▶ WindowAggregator ──▶ InboundEventAdapter (type, time, field offsets)
 *                          │
 *                          ├─▶ TumblingWindow ─┐  KeyedWindow: watermark, late count, pane ring,
 *                          ├─▶ SlidingWindow ──┤  keys → KeyEntry → PaneState (NumericStats,
 *                          └─▶ ...             ┘  DistinctSketch, TopKSketch), pools
 *                          │
 *          closed tumbling windows ──▶ WindowResultPublisher ──▶ OutputBuffer (WindowResult SBE)
 *          sliding windows ◀── SlidingWindow.query(keyHash, asOf, WindowView) from later stages
 *  decision of the same event ──▶ WindowAggregator.onDecided ──▶ count(declined), count(held) of its states
 *  a payment's merchant ◀── OrderMerchants (the orders stage: the merchant of its order, or unknown: counted)
 * </pre>
 *
 * Configuration: {@link io.ringfence.engine.window.WindowConfig} (YAML binding) →
 * {@link io.ringfence.engine.window.WindowSpecs#from} → {@link io.ringfence.engine.window.WindowSpec}.
 */
package io.ringfence.engine.window;
