package io.ringfence.engine.commerce;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;
import io.ringfence.engine.model.Ids;
import org.agrona.collections.Long2LongHashMap;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Validated settings of the order lifecycle and inventory stages ({@code orders:} and
 * {@code inventory:}). Durations in event-time microseconds.
 */
public final class CommerceSpec {
    public static final int MAX_TABLE = 1 << 24;

    final boolean ordersEnabled;
    final long unpaidAfter;
    final long unshippedAfter;
    final long retention;
    final long orderIdleTtl;
    final int maxOrders;
    final boolean adoptUnknownOrders;
    /** With {@code maxOrders} held: a new order forgets the order due soonest (true) or is refused. */
    final boolean forgetOldestWhenFull;
    /** Microseconds of event time a payment of an order not held waits for it ({@link EarlyPayments}); 0 = not kept. */
    final long earlyPayments;
    final int maxEarlyPayments;
    /** Microseconds of event time the stage's timers lag the newest event time ({@code orders.lateness}). */
    final long lateness;
    final boolean inventoryEnabled;
    final long lowStock;
    /** Sku hash → threshold (looked up when a sku is first seen). */
    private final Long2LongHashMap lowStockBySku;
    final OversellPolicy oversell;
    final boolean pushLevels;
    final int maxSkus;
    final long skuIdleTtl;

    /** 0 when {@code value} is {@code first}, 1 when {@code second} (case ignored); else a ConfigException naming both. */
    private static int oneOf(final String path, final String value, final String first, final String second) {
        final String v = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (first.equals(v)) {
            return 0;
        }
        if (second.equals(v)) {
            return 1;
        }
        throw new ConfigException(path, value, "must be " + first + " or " + second);
    }

    private CommerceSpec(final OrdersConfig o, final InventoryConfig i) {
        ordersEnabled = o.enabled;
        unpaidAfter = o.micros("orders", "unpaidAfter", o.unpaidAfter, true);
        unshippedAfter = o.micros("orders", "unshippedAfter", o.unshippedAfter, true);
        retention = o.micros("orders", "retention", o.retention, false);
        orderIdleTtl = o.micros("orders", "idleTtl", o.idleTtl, false);
        for (final String[] due : new String[][] {{"unpaidAfter", o.unpaidAfter}, {"unshippedAfter", o.unshippedAfter}}) {
            if (orderIdleTtl <= o.micros("orders", due[0], due[1], true)) {
                throw new ConfigException("orders.idleTtl", o.idleTtl, "must be longer than orders." + due[0] + " (" + due[1]
                    + "): an order is forgotten idleTtl after its last change, before it could fall overdue");
            }
        }
        maxOrders = size("orders.maxOrders", o.maxOrders);
        adoptUnknownOrders = oneOf("orders.unknownOrders", o.unknownOrders, "reject", "adopt") == 1;
        forgetOldestWhenFull = oneOf("orders.whenFull", o.whenFull, "forget-oldest", "refuse") == 0;
        earlyPayments = o.micros("orders", "earlyPayments", o.earlyPayments, true);
        maxEarlyPayments = size("orders.maxEarlyPayments", o.maxEarlyPayments);
        lateness = o.micros("orders", "lateness", o.lateness, true);
        inventoryEnabled = i.enabled;
        if (i.lowStock < 0) {
            throw new ConfigException("inventory.lowStock", i.lowStock, "must not be negative");
        }
        lowStock = i.lowStock;
        final Map<String, Long> bySku = i.lowStockBySku == null ? Map.of() : i.lowStockBySku;
        lowStockBySku = new Long2LongHashMap(Math.max(8, bySku.size() * 2), 0.5f, -1);
        for (final Map.Entry<String, Long> e : bySku.entrySet()) {
            final String field = "inventory.lowStockBySku." + e.getKey();
            if (e.getKey().isEmpty() || e.getKey().getBytes(StandardCharsets.UTF_8).length > Ids.MAX_ID_BYTES) {
                throw new ConfigException(field, e.getKey(), "a sku must be 1.." + Ids.MAX_ID_BYTES + " UTF-8 bytes");
            }
            if (e.getValue() == null || e.getValue() < 0) {
                throw new ConfigException(field, e.getValue(), "must be a threshold of 0 or more");
            }
            lowStockBySku.put(Ids.hash(e.getKey()), e.getValue().longValue());
        }
        if (i.oversell == null) {
            throw new ConfigException("inventory.oversell", null, "must be flag, review or ignore");
        }
        try {
            oversell = OversellPolicy.valueOf(i.oversell.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException("inventory.oversell", i.oversell, "must be flag, review or ignore");
        }
        pushLevels = i.pushLevels;
        maxSkus = size("inventory.maxSkus", i.maxSkus);
        skuIdleTtl = Durations.parseMicros("inventory.idleTtl", i.idleTtl);
        if (skuIdleTtl <= 0) {
            throw new ConfigException("inventory.idleTtl", i.idleTtl, "must be positive");
        }
    }

    /**
     * @throws ConfigException naming the first bad field
     */
    public static CommerceSpec from(final OrdersConfig orders, final InventoryConfig inventory) {
        if (orders == null) {
            throw new ConfigException("orders", null, "must be a section");
        }
        if (inventory == null) {
            throw new ConfigException("inventory", null, "must be a section");
        }
        return new CommerceSpec(orders, inventory);
    }

    /** The defaults of both sections. */
    public static CommerceSpec defaults() {
        return from(new OrdersConfig(), new InventoryConfig());
    }

    private static int size(final String field, final int value) {
        if (value < 1 || value > MAX_TABLE) {
            throw new ConfigException(field, value, "must be between 1 and " + MAX_TABLE);
        }
        return value;
    }

    long lowStockOf(final long skuHash) {
        final long v = lowStockBySku.get(skuHash);
        return v < 0 ? lowStock : v;
    }
}
