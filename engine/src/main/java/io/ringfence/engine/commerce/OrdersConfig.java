package io.ringfence.engine.commerce;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;

/**
 * The {@code orders:} section (order lifecycle, docs/orders.md "Lifecycle"), as bound from YAML;
 * {@link CommerceSpec#from} validates it.
 *
 * <pre>
 * orders:
 *   enabled: true
 *   unpaidAfter: 30m         # an order still CREATED this long after it was placed: UNPAID_OVERDUE push; 0s = never
 *   unshippedAfter: 2d       # an order still PAID this long after payment: UNSHIPPED_OVERDUE push; 0s = never
 *   retention: 7d            # a DELIVERED, CANCELLED or REFUNDED order is forgotten this long after its last change
 *   idleTtl: 30d             # any other order is forgotten this long after its last change
 *   maxOrders: 100000        # orders held at once
 *   whenFull: forget-oldest  # forget-oldest | refuse: with maxOrders held, a new order makes room by forgetting
 *                            # the order due soonest to be forgotten (counted), or is not tracked (counted)
 *   unknownOrders: reject    # reject | adopt: an orderStatus for an order not held
 *   lateness: 0s             # timers (overdue, forgetting, early payments) fire this much event time late, so events
 *                            # of slower sources stamped before a deadline still count
 *   earlyPayments: 30m       # a payment of an order not held waits this long (event time) for its order; 0s = not kept
 *   maxEarlyPayments: 10000  # payments waiting at once (a new one beyond pushes out the oldest, counted)
 * </pre>
 */
public final class OrdersConfig {
    public boolean enabled = true;
    public String unpaidAfter = "30m";
    public String unshippedAfter = "2d";
    public String retention = "7d";
    public String idleTtl = "30d";
    public int maxOrders = 100_000;
    public String unknownOrders = "reject";
    public String whenFull = "forget-oldest";
    public String lateness = "0s";
    public String earlyPayments = "30m";
    public int maxEarlyPayments = 10_000;

    long micros(final String path, final String field, final String value, final boolean zeroAllowed) {
        final long v = Durations.parseMicros(path + "." + field, value);
        if (v < 0 || (!zeroAllowed && v == 0)) {
            throw new ConfigException(path + "." + field, value, zeroAllowed ? "must not be negative" : "must be positive");
        }
        return v;
    }
}
