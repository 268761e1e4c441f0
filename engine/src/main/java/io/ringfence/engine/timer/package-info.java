/**
 * Deterministic event-time timers for business rules (order deadlines, cart abandonment).
 *
 * <pre>
 *  rule ── schedule(key, deadline) ──▶ DeadlineQueue (min-heap on (deadline, key) + key or slot index)
 *                                          │
 *  event time advances (max seen) ──▶ pollDue(now) / drainDue(now, handler)
 *                                          │  due entries, earliest deadline first, ties by key
 *                                          ▼
 *                                     rule reacts (a push), may schedule again
 * </pre>
 *
 * Time is whatever the caller passes (the business stage's event-time watermark), never the
 * wall clock, so a replay fires the same timers in the same order. A queue is bounded, allocates
 * nothing after construction, and is written to and read from snapshots.
 */
package io.ringfence.engine.timer;
