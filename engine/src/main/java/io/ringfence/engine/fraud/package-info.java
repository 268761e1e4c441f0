/**
 * Fraud scoring (DESIGN.md §6): causal features, configurable rules and lists, and the logistic
 * model trained by {@code ringfence train}, producing the {@code Decision} of every order and payment.
 *
 * <pre>
 *  inbound event ──▶ FraudScorer ──▶ FraudFeatures ──▶ FraudEventAdapter (kind, time, amount, id keys)
 *                        │              │  per table: 1. compute its features from state (earlier events only)
 *                        │              │             2. update its state with this event
 *                        │              └─ UserTable, LinkTable (devices), LinkTable (IPs),
 *                        │                 InstrumentTable: EntityTable (keys, eviction) + one
 *                        │                 block per key: record, then VelocityBuckets (1m / 1h / 24h)
 *                        ├─▶ RuleSet.evaluate(ids, FeatureVector) ──▶ RuleHits  (lists, rules fired)
 *                        ├─▶ FraudModel.score(FeatureVector, contributions)   (LogisticModel from fraud.model, or NONE)
 *                        └─▶ RuleSet.decide(RuleHits, model score) ──▶ Verdict ──▶ DecisionStage
 * </pre>
 *
 * <h2>Features</h2>
 * The list, with stable indices and names, is {@link io.ringfence.engine.fraud.Feature}; the
 * README has the table. Every value is computed before the event is applied to the state, so it
 * reflects earlier events only; the event's own amount, kind and {@code risky_items} (its item
 * lines on the {@link io.ringfence.engine.fraud.RiskyItems} lists) are read from it and keep no
 * state. Missing values are NaN and fail every rule condition.
 *
 * <h2>Why a purpose-built state rather than the window module</h2>
 * The window module's sliding windows ({@code SlidingWindow.query}, {@code WindowView}) were the
 * first candidate. They do not fit this stage, for reasons that are properties of their contract,
 * not of their implementation:
 * <ul>
 *   <li><b>Causality.</b> Aggregation runs before scoring, so a query already includes the current
 *   event (and later events of its pane); features must exclude it.</li>
 *   <li><b>Pane alignment.</b> A query covers whole panes ending with the current one; with a
 *   1-minute window and 1-minute step that is only the current minute (0 to 60 s of history).
 *   Buckets here cover the last {@code H − w} to {@code H}.</li>
 *   <li><b>Money per currency.</b> Window keys with amount metrics include the currency, so one
 *   user would be split by currency; velocity here is per entity.</li>
 *   <li><b>Per-key extras.</b> Welford history, signup time, recent devices, distinct users with
 *   last-seen times, last country and fail counts live next to the velocity of the same key; 12
 *   window definitions (4 entities × 3 horizons) plus side tables would mean 12+ hash lookups per
 *   event instead of 4.</li>
 *   <li><b>Eviction.</b> Window keys are dropped when full (new keys not counted); here the least
 *   recently seen key gives way, because the newest behaviour is what fraud features need.</li>
 * </ul>
 * What is shared is the approach: bounded keys, fixed-size state per key, event time only, no
 * allocation per event, no iteration in hash order.
 *
 * <h2>Layout</h2>
 * Everything of one key except its id and last-seen time (kept apart, compactly, for the idle
 * sweep) is one contiguous block of its table's {@code long[]}: the table's record (counts,
 * Welford moments, recent ids, sightings, ...) then the velocity totals then the buckets. An
 * order touches, per key, a run of adjacent lines plus one bucket line per horizon; the four keys
 * are looked up first and their lines requested together, so the misses overlap.
 *
 * <h2>Velocity</h2>
 * {@link io.ringfence.engine.fraud.VelocityBuckets}: per key and horizon, ring buckets aligned to
 * the epoch (1m = 6 × 10 s, 1h = 12 × 5 min, 24h = 12 × 2 h) plus running totals, so a query for
 * an in-order event costs the totals and the buckets that just expired; late events are summed
 * from the buckets (see {@link io.ringfence.engine.fraud.Horizon}). The query and the update of
 * the event's own key are one pass, and an event in the key's newest buckets reads only the totals.
 *
 * <h2>Determinism and memory</h2>
 * No wall clock: time is the event's. Keys are {@link io.ringfence.engine.fraud.FraudIds} hashes
 * of the id bytes (not identity or {@code String.hashCode}); slots are assigned, swept and reused
 * in an order fixed by the event sequence; the state hash walks slots in order. Each table holds at
 * most {@code fraud.state.max*} keys (grown by doubling, so memory follows the working set: about
 * 1.0 KB per user, 0.7 KB per device or IP, 0.9 KB per instrument, so about 220 MB with every
 * table at the default 65,536 keys), evicts keys idle past
 * {@code fraud.state.idleTtl} of event time, and when full replaces the least recently seen of 16
 * sampled keys. Once the tables have grown, scoring allocates nothing.
 *
 * <h2>For explain and the model</h2>
 * Features ({@link io.ringfence.engine.fraud.FraudFeatures}), rules
 * ({@link io.ringfence.engine.fraud.RuleSet}: {@code evaluate} then {@code decide}, both pure) and
 * the model ({@link io.ringfence.engine.fraud.FraudModel}) are separate;
 * {@link io.ringfence.engine.fraud.FraudScorer#lastFeatures()} and
 * {@link io.ringfence.engine.fraud.FraudScorer#lastHits()} expose what the last decision used.
 */
package io.ringfence.engine.fraud;
