/**
 * Cart abandonment (issue 7 part 3): a user's add-to-cart items since their last order, and one
 * promotion ({@code TrendingPush}, window {@code cartAbandoned}, the user's id) when no order
 * follows the cart's first add within the configured event-time delay.
 *
 * <pre>
 *  inbound event ──▶ CartStage: newest event time moved? ──▶ DeadlineQueue (abandon) due ──▶ push, mark the cart
 *                        │                                └─▶ DeadlineQueue (idle) due ──▶ forget the cart
 *                        ├─ ADD_TO_CART ──▶ CartBook.open (schedule abandon) / add; reschedule idle
 *                        └─ order (not before the cart opened) ──▶ close the cart, cancel both deadlines
 * </pre>
 */
package io.ringfence.engine.cart;
