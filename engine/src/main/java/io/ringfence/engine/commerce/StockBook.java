package io.ringfence.engine.commerce;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.timer.DeadlineHandler;
import io.ringfence.engine.timer.DeadlineQueue;
import io.ringfence.sbe.StockSignal;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Stock per sku and warehouse (README "Inventory"). A sku is tracked from its first
 * {@code inventory} event; per sku it holds up to {@value #WAREHOUSES} warehouse levels (their sum
 * is on hand) and what open orders reserve (across warehouses: orders do not name one).
 * Available = on hand − reserved. When available crosses the sku's low-stock threshold a
 * {@code StockPush} says so: LOW (at or below the threshold, above 0), OUT (0 or less), RESTOCKED
 * (back above the threshold); LEVEL after other inventory events if {@code pushLevels}.
 *
 * <p>Bounded: at most {@code maxSkus} skus (a new one beyond is counted in {@link #skusDropped()}
 * and not tracked); a sku untouched for {@code idleTtl} of event time is forgotten; a warehouse
 * beyond {@value #WAREHOUSES} per sku is counted in {@link #warehousesDropped()} and its events
 * ignored.
 */
final class StockBook implements DeadlineHandler {
    static final int WAREHOUSES = 8;
    private static final int MARKER = 0x53544f4b; // "STOK"
    private static final int OK = 0;
    private static final int LOW = 1;
    private static final int OUT = 2;
    private static final int ID = CommercePublisher.ID;

    private final CommerceSpec spec;
    private final CommercePublisher publisher;
    private final Slots slots;
    private final DeadlineQueue idle;
    private byte[] skuIds = new byte[0];
    private long[] onHand = new long[0];
    private long[] reserved = new long[0];
    private long[] lowStock = new long[0];
    private byte[] signal = new byte[0];
    private byte[] warehouseCount = new byte[0];
    private long[] warehouseKeys = new long[0];
    private long[] warehouseLevels = new long[0];
    private long skusDropped;
    private long warehousesDropped;
    private long evicted;

    StockBook(final CommerceSpec spec, final CommercePublisher publisher) {
        this.spec = spec;
        this.publisher = publisher;
        this.slots = new Slots(spec.maxSkus);
        this.idle = new DeadlineQueue(spec.maxSkus);
    }

    /** Forgets skus idle up to {@code watermark}. */
    void advance(final long watermark) {
        idle.drainDue(watermark, this);
    }

    @Override
    public void onDeadline(final long key, final long deadline) {
        final int slot = slots.find(key);
        if (slot != Slots.NONE) {
            slots.remove(slot);
            evicted++;
        }
    }

    /** An inventory event: sets or moves one warehouse's level, pushes a threshold crossing. */
    void onInventory(final long seq, final long eventTime, final long watermark, final long skuHash, final DirectBuffer in,
                     final int skuAt, final long warehouseHash, final int warehouseAt, final boolean level, final long quantity,
                     final OutputBuffer out) {
        int slot = slots.find(skuHash);
        if (slot == Slots.NONE) {
            slot = slots.add(skuHash);
            if (slot == Slots.NONE) {
                skusDropped++;
                return;
            }
            grow();
            in.getBytes(skuAt, skuIds, slot * ID, ID);
            onHand[slot] = 0;
            reserved[slot] = 0;
            lowStock[slot] = spec.lowStockOf(skuHash);
            signal[slot] = OK;
            warehouseCount[slot] = 0;
        }
        idle.schedule(skuHash, watermark + spec.skuIdleTtl);
        final int base = slot * WAREHOUSES;
        final int n = warehouseCount[slot];
        int w = 0;
        while (w < n && warehouseKeys[base + w] != warehouseHash) {
            w++;
        }
        if (w == n) {
            if (n == WAREHOUSES) {
                warehousesDropped++;
                return;
            }
            warehouseKeys[base + w] = warehouseHash;
            warehouseLevels[base + w] = 0;
            warehouseCount[slot] = (byte) (n + 1);
        }
        final long before = warehouseLevels[base + w];
        final long after = level ? quantity : saturatedAdd(before, quantity);
        warehouseLevels[base + w] = after;
        onHand[slot] = saturatedAdd(onHand[slot], after - before);
        if (!signal(seq, eventTime, slot, in, warehouseAt, out) && spec.pushLevels) {
            publisher.stock(seq, eventTime, skuIds, slot * ID, in, warehouseAt, available(slot), StockSignal.LEVEL, out);
        }
    }

    /**
     * Reserves {@code qty} of a tracked sku for an order line.
     *
     * @return -1 if the sku is not tracked (nothing reserved), else 1 if the line asked for more
     *         than was available (an oversell), else 0
     */
    int reserve(final long seq, final long eventTime, final long watermark, final long skuHash, final int qty,
                final OutputBuffer out) {
        final int slot = slots.find(skuHash);
        if (slot == Slots.NONE) {
            return -1;
        }
        final boolean oversell = qty > available(slot);
        reserved[slot] += qty;
        idle.schedule(skuHash, watermark + spec.skuIdleTtl);
        signal(seq, eventTime, slot, null, -1, out);
        return oversell ? 1 : 0;
    }

    /**
     * True if reserving the order's lines as {@link OrderBook} does (positive quantities of tracked
     * skus, the first {@link OrderBook#MAX_LINES} of them) would ask for more of a sku than is
     * available, counting earlier lines of the same order. Changes nothing.
     */
    boolean wouldOversell(final OrderLines lines) {
        int held = 0;
        for (int i = 0; i < lines.count() && held < OrderBook.MAX_LINES; i++) {
            final int qty = lines.qty(i);
            if (qty <= 0) {
                continue;
            }
            final long sku = lines.sku(i);
            final int slot = slots.find(sku);
            if (slot == Slots.NONE) {
                continue;
            }
            long earlier = 0;
            int counted = 0;
            for (int j = 0; j < i && counted < held; j++) {
                final int q = lines.qty(j);
                if (q > 0 && slots.find(lines.sku(j)) != Slots.NONE) {
                    counted++;
                    if (lines.sku(j) == sku) {
                        earlier += q;
                    }
                }
            }
            if (qty > available(slot) - earlier) {
                return true;
            }
            held++;
        }
        return false;
    }

    /** Gives back a reservation (the order was shipped, cancelled, refunded before shipping, or forgotten). */
    void release(final long seq, final long eventTime, final long watermark, final long skuHash, final int qty,
                 final OutputBuffer out) {
        final int slot = slots.find(skuHash);
        if (slot == Slots.NONE) {
            return;
        }
        reserved[slot] = Math.max(0, reserved[slot] - qty);
        idle.schedule(skuHash, watermark + spec.skuIdleTtl);
        if (out != null) {
            signal(seq, eventTime, slot, null, -1, out);
        }
    }

    private long available(final int slot) {
        return onHand[slot] - reserved[slot];
    }

    /** Pushes the signal if available crossed a threshold; true if it pushed. */
    private boolean signal(final long seq, final long eventTime, final int slot, final DirectBuffer in, final int warehouseAt,
                           final OutputBuffer out) {
        final long available = available(slot);
        final int now = available <= 0 ? OUT : available <= lowStock[slot] ? LOW : OK;
        final int was = signal[slot];
        if (now == was) {
            return false;
        }
        signal[slot] = (byte) now;
        final StockSignal pushed = now == OUT ? StockSignal.OUT : now == LOW ? StockSignal.LOW : StockSignal.RESTOCKED;
        publisher.stock(seq, eventTime, skuIds, slot * ID, in, warehouseAt, available, pushed, out);
        return true;
    }

    private void grow() {
        final int capacity = slots.capacity();
        if (onHand.length < capacity) {
            skuIds = Arrays.copyOf(skuIds, capacity * ID);
            onHand = Arrays.copyOf(onHand, capacity);
            reserved = Arrays.copyOf(reserved, capacity);
            lowStock = Arrays.copyOf(lowStock, capacity);
            signal = Arrays.copyOf(signal, capacity);
            warehouseCount = Arrays.copyOf(warehouseCount, capacity);
            warehouseKeys = Arrays.copyOf(warehouseKeys, capacity * WAREHOUSES);
            warehouseLevels = Arrays.copyOf(warehouseLevels, capacity * WAREHOUSES);
        }
    }

    private static long saturatedAdd(final long a, final long b) {
        final long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    int size() {
        return slots.size();
    }

    long skusDropped() {
        return skusDropped;
    }

    long warehousesDropped() {
        return warehousesDropped;
    }

    long evicted() {
        return evicted;
    }

    /** Available stock of a tracked sku (tests), or {@code Long.MIN_VALUE}. */
    long available(final long skuHash) {
        final int slot = slots.find(skuHash);
        return slot == Slots.NONE ? Long.MIN_VALUE : available(slot);
    }

    long stateHash() {
        long h = slots.hash(MARKER);
        final int used = slots.used();
        for (int i = 0; i < used; i++) {
            if (!slots.live(i)) {
                continue;
            }
            h = h * 31 + i;
            h = h * 31 + onHand[i];
            h = h * 31 + reserved[i];
            h = h * 31 + lowStock[i];
            h = h * 31 + signal[i];
            for (int w = 0; w < warehouseCount[i]; w++) {
                h = h * 31 + warehouseKeys[i * WAREHOUSES + w];
                h = h * 31 + warehouseLevels[i * WAREHOUSES + w];
            }
            for (int b = i * ID; b < i * ID + ID; b++) {
                h = h * 31 + skuIds[b];
            }
        }
        h = h * 31 + skusDropped;
        h = h * 31 + warehousesDropped;
        h = h * 31 + evicted;
        return h * 31 + idle.stateHash();
    }

    /** Bytes {@link #writeState} writes now (sizes only, no walk). */
    long stateBytesBound() {
        final long used = slots.used();
        return 4 + slots.stateBytesBound() + used * (ID + 3 * 8 + 2 + WAREHOUSES * 16L) + 3 * 8 + idle.stateBytesBound();
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER);
        slots.write(w);
        final int used = slots.used();
        w.putBytes(skuIds, 0, used * ID);
        w.putLongs(onHand, 0, used).putLongs(reserved, 0, used).putLongs(lowStock, 0, used);
        w.putBytes(signal, 0, used).putBytes(warehouseCount, 0, used);
        w.putLongs(warehouseKeys, 0, used * WAREHOUSES).putLongs(warehouseLevels, 0, used * WAREHOUSES);
        w.putLong(skusDropped).putLong(warehousesDropped).putLong(evicted);
        idle.writeState(w);
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "inventory");
        slots.read(r, "inventory");
        skuIds = new byte[0];
        onHand = new long[0];
        grow();
        final int used = slots.used();
        r.getBytes(skuIds, 0, used * ID);
        r.getLongs(onHand, 0, used);
        r.getLongs(reserved, 0, used);
        r.getLongs(lowStock, 0, used);
        r.getBytes(signal, 0, used);
        r.getBytes(warehouseCount, 0, used);
        r.getLongs(warehouseKeys, 0, used * WAREHOUSES);
        r.getLongs(warehouseLevels, 0, used * WAREHOUSES);
        skusDropped = r.getLong();
        warehousesDropped = r.getLong();
        evicted = r.getLong();
        idle.readState(r);
    }
}
