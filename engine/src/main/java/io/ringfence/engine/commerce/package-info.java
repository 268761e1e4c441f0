/**
 * Order lifecycle and inventory in the business stage (issue 7 parts 1-2; docs/orders.md "Orders and
 * inventory").
 *
 * <pre>
 *  event ──▶ CommerceStage.onEvent: watermark = max event time seen
 *              │  OrderBook.advance: due overdue timers ─▶ OrderStatusPush UNPAID/UNSHIPPED_OVERDUE
 *              │                     due expiries      ─▶ forget the order, release its reservation
 *              │  StockBook.advance: forget idle skus
 *              ├─ orderStatus / payment ─▶ OrderBook (OrderTransitions) ─▶ OrderStatusPush | Reject
 *              ├─ inventory             ─▶ StockBook (levels per warehouse) ─▶ StockPush on a crossing
 *              └─ order: StockBook.wouldOversell ─▶ DecisionStage (OVERSELL reason via
 *                        OrderVerdictAmendment) ─▶ afterDecision: OrderBook.onOrder
 *                        (CREATED push, reservations) ─▶ StockPush on a crossing
 *  windows ──▶ CommerceStage as OrderMerchants: the merchant of a payment's order (read-only)
 * </pre>
 *
 * Configuration: {@link io.ringfence.engine.commerce.OrdersConfig} and
 * {@link io.ringfence.engine.commerce.InventoryConfig} → {@link io.ringfence.engine.commerce.CommerceSpec#from}.
 * State lives in primitive arrays indexed by {@link io.ringfence.engine.commerce.Slots} and two
 * {@link io.ringfence.engine.timer.DeadlineQueue}s, all written to snapshots.
 */
package io.ringfence.engine.commerce;
