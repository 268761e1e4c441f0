package io.ringfence.engine.commerce;

import io.ringfence.sbe.OrderState;

import java.nio.charset.StandardCharsets;

/**
 * The order lifecycle's transition table (docs/orders.md "Lifecycle"):
 *
 * <pre>
 *  from \ to   PAID  SHIPPED  DELIVERED  CANCELLED  REFUNDED
 *  CREATED      ✓                          ✓
 *  PAID               ✓                               ✓
 *  SHIPPED                     ✓                      ✓
 *  DELIVERED                                          ✓
 *  CANCELLED   (terminal)
 *  REFUNDED    (terminal)
 * </pre>
 *
 * A status equal to the current one is a repeat ({@link #SAME}): accepted, no change, no push.
 * Nothing moves back to CREATED. The reject reasons are encoded once here so the hot path writes
 * bytes, never builds strings.
 */
public final class OrderTransitions {
    /** {@link #check} result: the move is allowed. */
    public static final int ALLOWED = 0;
    /** {@link #check} result: already in that state. */
    public static final int SAME = 1;
    /** {@link #check} result: not allowed. */
    public static final int INVALID = 2;

    /** Highest lifecycle state code (REFUNDED). */
    static final int MAX_STATE = 6;
    private static final boolean[][] ALLOWED_MOVES = new boolean[MAX_STATE + 1][MAX_STATE + 1];
    private static final byte[][][] REASONS = new byte[MAX_STATE + 1][MAX_STATE + 1][];

    static {
        allow(OrderState.CREATED, OrderState.PAID);
        allow(OrderState.CREATED, OrderState.CANCELLED);
        allow(OrderState.PAID, OrderState.SHIPPED);
        allow(OrderState.PAID, OrderState.REFUNDED);
        allow(OrderState.SHIPPED, OrderState.DELIVERED);
        allow(OrderState.SHIPPED, OrderState.REFUNDED);
        allow(OrderState.DELIVERED, OrderState.REFUNDED);
        for (int from = 1; from <= MAX_STATE; from++) {
            for (int to = 1; to <= MAX_STATE; to++) {
                final String name = OrderState.get((short) from).name();
                REASONS[from][to] = ("invalid transition " + name + " -> " + OrderState.get((short) to).name()
                        + (terminal(from) ? " (" + name + " is final)" : "")).getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    private OrderTransitions() {
    }

    private static void allow(final OrderState from, final OrderState to) {
        ALLOWED_MOVES[from.value()][to.value()] = true;
    }

    /** {@link #ALLOWED}, {@link #SAME} or {@link #INVALID} for a move between lifecycle state codes 1..6. */
    public static int check(final int from, final int to) {
        if (from == to) {
            return SAME;
        }
        return ALLOWED_MOVES[from][to] ? ALLOWED : INVALID;
    }

    /** DELIVERED, CANCELLED and REFUNDED: kept only for {@code orders.retention}. */
    public static boolean settled(final int state) {
        return state == OrderState.DELIVERED.value() || state == OrderState.CANCELLED.value()
                || state == OrderState.REFUNDED.value();
    }

    /** No move leaves CANCELLED or REFUNDED. */
    public static boolean terminal(final int state) {
        return state == OrderState.CANCELLED.value() || state == OrderState.REFUNDED.value();
    }

    /** Reject reason for an invalid move, US-ASCII. */
    static byte[] reason(final int from, final int to) {
        return REASONS[from][to];
    }
}
