/**
 * Trending items (issue 7 part 4): the top k skus per category by views and by sales over a
 * sliding event-time window, pushed as {@code TrendingPush} when a category's list changes.
 *
 * <pre>
 *  inbound event ──▶ TrendingStage ──tick(newest event time)──▶ TrendBoard.advanceTo (views, sales): expire panes, evict
 *                        ├─ order item line (qty &gt; 0) ──▶ SkuCategories.learn(sku → category)
 *                        │                          └──▶ sales TrendBoard.add(category, sku, qty)
 *                        └─ VIEW activity with a sku ──▶ views TrendBoard.add(SkuCategories(sku) or "unknown", sku, 1)
 *  TrendBoard.add: due (minInterval)? ──▶ top k (count desc, sku bytes asc) ≠ last pushed? ──▶ TrendingPushWriter
 * </pre>
 *
 * {@link io.ringfence.engine.trending.TrendingPushWriter} also encodes the cart promotions of
 * {@code io.ringfence.engine.cart}.
 */
package io.ringfence.engine.trending;
