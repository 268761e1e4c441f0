package io.ringfence.engine.commerce;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.timer.DeadlineHandler;
import io.ringfence.engine.timer.DeadlineQueue;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.RejectCode;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The state of every open order (README "Order lifecycle"): its lifecycle state
 * ({@link OrderTransitions}), its ids for pushes, and the item lines it reserves in the
 * {@link StockBook} while CREATED or PAID. Every change is an {@code OrderStatusPush}; an invalid
 * move or a status for an unknown order is a {@code Reject}.
 *
 * <p>Event-time timers ({@link DeadlineQueue}): an order still CREATED {@code unpaidAfter} after
 * its order event is pushed as UNPAID_OVERDUE, one still PAID {@code unshippedAfter} after it was
 * paid as UNSHIPPED_OVERDUE, each once. A second queue forgets settled orders (DELIVERED,
 * CANCELLED, REFUNDED) {@code retention} after their last change and any other order
 * {@code idleTtl} after it, releasing what it still reserves. Both fire when the business stage's
 * watermark (the newest event time seen) reaches them.
 */
final class OrderBook {
    /** Item lines of one order that reserve stock; further lines are counted, not reserved. */
    static final int MAX_LINES = 16;
    private static final int MARKER = 0x4f524452; // "ORDR"
    private static final int ID = CommercePublisher.ID;
    private static final byte[] UNKNOWN = ("unknown order: no order event seen, or forgotten after orders.retention"
            + " or orders.idleTtl").getBytes(StandardCharsets.US_ASCII);

    private final CommerceSpec spec;
    private final CommercePublisher publisher;
    private final StockBook stock;
    private final Slots slots;
    private final DeadlineQueue overdue;
    private final DeadlineQueue expiry;
    private final OverdueHandler overdueHandler = new OverdueHandler();
    private final ExpiryHandler expiryHandler = new ExpiryHandler();
    private byte[] state = new byte[0];
    private byte[] ids = new byte[0];
    private byte[] lineCount = new byte[0];
    private long[] lineSku = new long[0];
    private int[] lineQty = new int[0];
    /** The event being processed, for the timer handlers. */
    private long currentSeq;
    private long currentWatermark;
    private OutputBuffer currentOut;
    private long ordersDropped;
    private long duplicateOrders;
    private long linesNotReserved;
    private long invalidTransitions;
    private long unknownOrders;
    private long overduePushes;
    private long evicted;

    /** @param stock reservations go here, or null (inventory off) */
    OrderBook(final CommerceSpec spec, final CommercePublisher publisher, final StockBook stock) {
        this.spec = spec;
        this.publisher = publisher;
        this.stock = stock;
        this.slots = new Slots(spec.maxOrders);
        this.overdue = new DeadlineQueue(spec.maxOrders);
        this.expiry = new DeadlineQueue(spec.maxOrders);
    }

    /** Fires the overdue timers and forgets expired orders up to {@code watermark}; pushes go to {@code out}. */
    void advance(final long seq, final long watermark, final OutputBuffer out) {
        currentSeq = seq;
        currentWatermark = watermark;
        currentOut = out;
        overdue.drainDue(watermark, overdueHandler);
        expiry.drainDue(watermark, expiryHandler);
        currentOut = null;
    }

    /** An order event: a new order is CREATED (pushed) and reserves its lines. */
    void onOrder(final long seq, final long eventTime, final long watermark, final long orderHash, final DirectBuffer in,
                    final int orderAt, final int userAt, final OrderLines lines, final OutputBuffer out) {
        if (slots.find(orderHash) != Slots.NONE) {
            duplicateOrders++;
            return;
        }
        final int slot = slots.add(orderHash);
        if (slot == Slots.NONE) {
            ordersDropped++;
            return;
        }
        grow();
        in.getBytes(orderAt, ids, slot * 2 * ID, ID);
        in.getBytes(userAt, ids, slot * 2 * ID + ID, ID);
        state[slot] = (byte) OrderState.CREATED.value();
        publisher.orderStatus(seq, eventTime, ids, slot * 2 * ID, OrderState.CREATED, out);
        int held = 0;
        for (int i = 0; i < lines.count(); i++) {
            if (lines.qty(i) <= 0 || stock == null) {
                continue; // a return line (negative quantity) reserves nothing
            }
            if (held == MAX_LINES) {
                linesNotReserved++;
                continue;
            }
            final int r = stock.reserve(seq, eventTime, watermark, lines.sku(i), lines.qty(i), out);
            if (r >= 0) {
                lineSku[slot * MAX_LINES + held] = lines.sku(i);
                lineQty[slot * MAX_LINES + held] = lines.qty(i);
                held++;
            }
        }
        lineCount[slot] = (byte) held;
        if (spec.unpaidAfter > 0) {
            overdue.schedule(orderHash, eventTime + spec.unpaidAfter);
        }
        expiry.schedule(orderHash, watermark + spec.orderIdleTtl);
    }

    /** An orderStatus event: a valid move is pushed, a repeat is ignored, anything else rejected. */
    void onStatus(final long seq, final long clientSeq, final long eventTime, final long watermark, final long orderHash,
                  final DirectBuffer in, final int orderAt, final int userAt, final int status, final OutputBuffer out) {
        final int slot = slots.find(orderHash);
        if (slot == Slots.NONE) {
            if (!spec.adoptUnknownOrders || !adopt(seq, eventTime, watermark, orderHash, in, orderAt, userAt, status, out)) {
                unknownOrders++;
                publisher.reject(seq, clientSeq, RejectCode.UNKNOWN_ORDER, UNKNOWN, out);
            }
            return;
        }
        final int from = state[slot];
        switch (OrderTransitions.check(from, status)) {
            case OrderTransitions.ALLOWED:
                move(seq, eventTime, watermark, slot, status, out);
                break;
            case OrderTransitions.SAME:
                break;
            default:
                invalidTransitions++;
                publisher.reject(seq, clientSeq, RejectCode.INVALID_TRANSITION, OrderTransitions.reason(from, status), out);
                break;
        }
    }

    /** A payment: AUTHORIZED or CAPTURED pays a CREATED order, REFUNDED refunds where allowed; others change nothing. */
    void onPayment(final long seq, final long eventTime, final long watermark, final long orderHash, final int to,
                   final OutputBuffer out) {
        final int slot = slots.find(orderHash);
        if (slot != Slots.NONE && OrderTransitions.check(state[slot], to) == OrderTransitions.ALLOWED) {
            move(seq, eventTime, watermark, slot, to, out);
        }
    }

    private boolean adopt(final long seq, final long eventTime, final long watermark, final long orderHash,
                          final DirectBuffer in, final int orderAt, final int userAt, final int status, final OutputBuffer out) {
        final int slot = slots.add(orderHash);
        if (slot == Slots.NONE) {
            ordersDropped++;
            return false;
        }
        grow();
        in.getBytes(orderAt, ids, slot * 2 * ID, ID);
        in.getBytes(userAt, ids, slot * 2 * ID + ID, ID);
        lineCount[slot] = 0;
        state[slot] = (byte) OrderState.CREATED.value();
        if (status == OrderState.CREATED.value()) {
            publisher.orderStatus(seq, eventTime, ids, slot * 2 * ID, OrderState.CREATED, out);
            if (spec.unpaidAfter > 0) {
                overdue.schedule(orderHash, eventTime + spec.unpaidAfter);
            }
            expiry.schedule(orderHash, watermark + spec.orderIdleTtl);
        } else {
            move(seq, eventTime, watermark, slot, status, out);
        }
        return true;
    }

    private void move(final long seq, final long eventTime, final long watermark, final int slot, final int to,
                      final OutputBuffer out) {
        final int from = state[slot];
        final long key = slots.key(slot);
        state[slot] = (byte) to;
        publisher.orderStatus(seq, eventTime, ids, slot * 2 * ID, OrderState.get((short) to), out);
        if (reserves(from) && !reserves(to)) {
            release(seq, eventTime, watermark, slot, out);
        }
        if (to == OrderState.PAID.value() && spec.unshippedAfter > 0) {
            overdue.schedule(key, eventTime + spec.unshippedAfter);
        } else {
            overdue.cancel(key);
        }
        expiry.schedule(key, watermark + (OrderTransitions.settled(to) ? spec.retention : spec.orderIdleTtl));
    }

    private static boolean reserves(final int state) {
        return state == OrderState.CREATED.value() || state == OrderState.PAID.value();
    }

    private void release(final long seq, final long eventTime, final long watermark, final int slot, final OutputBuffer out) {
        final int n = lineCount[slot];
        for (int i = 0; i < n && stock != null; i++) {
            stock.release(seq, eventTime, watermark, lineSku[slot * MAX_LINES + i], lineQty[slot * MAX_LINES + i], out);
        }
        lineCount[slot] = 0;
    }

    /** An order's lifecycle state code, or 0 if not held (tests). */
    int stateOf(final long orderHash) {
        final int slot = slots.find(orderHash);
        return slot == Slots.NONE ? 0 : state[slot];
    }

    private final class OverdueHandler implements DeadlineHandler {
        @Override
        public void onDeadline(final long key, final long deadline) {
            final int slot = slots.find(key);
            if (slot == Slots.NONE) {
                return;
            }
            final int s = state[slot];
            if (s == OrderState.CREATED.value() || s == OrderState.PAID.value()) {
                overduePushes++;
                publisher.orderStatus(currentSeq, deadline, ids, slot * 2 * ID,
                        s == OrderState.CREATED.value() ? OrderState.UNPAID_OVERDUE : OrderState.UNSHIPPED_OVERDUE, currentOut);
            }
        }
    }

    private final class ExpiryHandler implements DeadlineHandler {
        @Override
        public void onDeadline(final long key, final long deadline) {
            final int slot = slots.find(key);
            if (slot == Slots.NONE) {
                return;
            }
            if (reserves(state[slot])) {
                release(currentSeq, deadline, currentWatermark, slot, currentOut);
            }
            overdue.cancel(key);
            slots.remove(slot);
            evicted++;
        }
    }

    private void grow() {
        final int capacity = slots.capacity();
        if (state.length < capacity) {
            state = Arrays.copyOf(state, capacity);
            ids = Arrays.copyOf(ids, capacity * 2 * ID);
            lineCount = Arrays.copyOf(lineCount, capacity);
            lineSku = Arrays.copyOf(lineSku, capacity * MAX_LINES);
            lineQty = Arrays.copyOf(lineQty, capacity * MAX_LINES);
        }
    }

    int size() {
        return slots.size();
    }

    long ordersDropped() {
        return ordersDropped;
    }

    long duplicateOrders() {
        return duplicateOrders;
    }

    long linesNotReserved() {
        return linesNotReserved;
    }

    long invalidTransitions() {
        return invalidTransitions;
    }

    long unknownOrders() {
        return unknownOrders;
    }

    long overduePushes() {
        return overduePushes;
    }

    long evicted() {
        return evicted;
    }

    long stateHash() {
        long h = slots.hash(MARKER);
        final int used = slots.used();
        for (int i = 0; i < used; i++) {
            if (!slots.live(i)) {
                continue;
            }
            h = h * 31 + i;
            h = h * 31 + state[i];
            for (int b = i * 2 * ID; b < (i + 1) * 2 * ID; b++) {
                h = h * 31 + ids[b];
            }
            for (int l = 0; l < lineCount[i]; l++) {
                h = h * 31 + lineSku[i * MAX_LINES + l];
                h = h * 31 + lineQty[i * MAX_LINES + l];
            }
        }
        h = h * 31 + ordersDropped;
        h = h * 31 + duplicateOrders;
        h = h * 31 + linesNotReserved;
        h = h * 31 + invalidTransitions;
        h = h * 31 + unknownOrders;
        h = h * 31 + overduePushes;
        h = h * 31 + evicted;
        h = h * 31 + overdue.stateHash();
        return h * 31 + expiry.stateHash();
    }

    /** Bytes {@link #writeState} writes now (sizes only, no walk). */
    long stateBytesBound() {
        final long used = slots.used();
        return 4 + slots.stateBytesBound() + used * (2 + 2L * ID + MAX_LINES * 12L) + 7 * 8
            + overdue.stateBytesBound() + expiry.stateBytesBound();
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER);
        slots.write(w);
        final int used = slots.used();
        w.putBytes(state, 0, used).putBytes(ids, 0, used * 2 * ID).putBytes(lineCount, 0, used);
        w.putLongs(lineSku, 0, used * MAX_LINES).putInts(lineQty, 0, used * MAX_LINES);
        w.putLong(ordersDropped).putLong(duplicateOrders).putLong(linesNotReserved).putLong(invalidTransitions)
                .putLong(unknownOrders).putLong(overduePushes).putLong(evicted);
        overdue.writeState(w);
        expiry.writeState(w);
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "orders");
        slots.read(r, "orders");
        state = new byte[0];
        grow();
        final int used = slots.used();
        r.getBytes(state, 0, used);
        r.getBytes(ids, 0, used * 2 * ID);
        r.getBytes(lineCount, 0, used);
        r.getLongs(lineSku, 0, used * MAX_LINES);
        r.getInts(lineQty, 0, used * MAX_LINES);
        ordersDropped = r.getLong();
        duplicateOrders = r.getLong();
        linesNotReserved = r.getLong();
        invalidTransitions = r.getLong();
        unknownOrders = r.getLong();
        overduePushes = r.getLong();
        evicted = r.getLong();
        overdue.readState(r);
        expiry.readState(r);
    }
}
