package io.ringfence.engine.commerce;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.OrderMerchants;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The business stage's commerce rules: order lifecycle ({@link OrderBook}) and inventory
 * ({@link StockBook}), on event time. Each event first advances the watermark (the newest event
 * time seen) and fires what is due by then (overdue pushes, expiry), then applies itself. An
 * order is checked first (would a line oversell a tracked sku?), {@link #amendOrderVerdict} adds
 * the reason {@code OVERSELL} to its decision (policy {@code inventory.oversell}), and
 * {@link #afterDecision} applies it once the decision is written. As {@link OrderMerchants} it
 * tells the windows the merchant of a payment's order (read-only, from the orders held).
 * Allocation-free per event; all state is in snapshots and {@link #stateHash()}.
 */
public final class CommerceStage implements OrderMerchants, io.ringfence.engine.fraud.OrderParties {
    /** The reason code an oversold order's decision carries. */
    public static final String OVERSELL = "OVERSELL";
    private static final byte[] OVERSELL_CODE = Verdict.code(OVERSELL);
    private static final int MARKER = 0x434f4d4d; // "COMM"
    private static final int ID = Ids.MAX_ID_BYTES;

    private final CommerceSpec spec;
    private final CommercePublisher publisher = new CommercePublisher();
    private final StockBook stock;
    private final OrderBook orders;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderStatusDecoder status = new OrderStatusDecoder();
    private final InventoryDecoder inventory = new InventoryDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final OrderLines lines = new OrderLines();
    private long watermark = Long.MIN_VALUE;
    private boolean oversold;
    /** See {@link #repeatedOrder()}. */
    private boolean repeatedOrder;
    /** The order awaiting {@link #afterDecision}, or null. */
    private DirectBuffer pendingBuffer;
    private int pendingBody;
    private long pendingTime;
    /** The pending order's id hash, computed once for the oversell check and the order book. */
    private long pendingOrderHash;
    /** The payment awaiting {@link #afterDecision}: its {@link OrderBook} kind, or -1 for none. */
    private int pendingPaymentKind = -1;
    private long pendingPaymentOrder;
    private long pendingPaymentHash;
    private long pendingPaymentAmount;
    private long pendingPaymentCurrency;
    private long pendingPaymentTime;
    private long oversells;

    public CommerceStage(final CommerceSpec spec) {
        this.spec = spec;
        this.stock = spec.inventoryEnabled ? new StockBook(spec, publisher) : null;
        this.orders = spec.ordersEnabled ? new OrderBook(spec, publisher, stock) : null;
    }

    /** Applies one accepted event (SBE header at {@code offset}); outputs go to {@code out}. */
    public void onEvent(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        onEvent(seq, buffer, offset, false, out);
    }

    /**
     * As {@link #onEvent(long, DirectBuffer, int, OutputBuffer)}; an order or payment the decision stage answers as a
     * {@code repeat} of one it decided (docs/fraud.md "Repeated orders and payments") only moves event time: its order is
     * not created or its lines reserved again, its payment not added up again, even when the order book no longer holds
     * the first (review: with orders off, or the first forgotten, a repeat reserved its stock twice and the next order
     * was flagged OVERSELL).
     */
    public void onEvent(final long seq, final DirectBuffer buffer, final int offset, final boolean repeat, final OutputBuffer out) {
        oversold = false;
        repeatedOrder = false;
        pendingPaymentKind = -1;
        pendingBuffer = null;
        if (stock != null) {
            stock.begin();
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID: {
                order.wrap(buffer, body, blockLength, version);
                advance(seq, order.eventTime(), out);
                if (repeat) {
                    repeatedOrder = true;
                    break;
                }
                // wrapped once here: afterDecision reads the same lines (and their cached sku hashes)
                lines.wrap(buffer, body + blockLength);
                pendingOrderHash = Ids.hash(buffer, body + OrderDecoder.orderIdEncodingOffset(), ID);
                if (stock != null && (orders == null || orders.takesStock(pendingOrderHash))) {
                    // a full book first forgets an order to make room (forget-oldest): its stock counts as available
                    oversold = stock.wouldOversell(lines, orders == null ? ReleaseCredit.NONE : orders.roomCredit(pendingOrderHash));
                    if (oversold) {
                        oversells++;
                    }
                }
                pendingBuffer = buffer;
                pendingBody = body;
                pendingTime = order.eventTime();
                break;
            }
            case PaymentDecoder.TEMPLATE_ID: {
                payment.wrap(buffer, body, blockLength, version);
                final long time = advance(seq, payment.eventTime(), out);
                final int kind = OrderBook.paymentKind(payment.result());
                final long orderHash = Ids.hash(buffer, body + PaymentDecoder.orderIdEncodingOffset(), ID);
                // a payment naming no order moves none (integrator trial: it was held as an early payment of the empty id)
                if (orders != null && kind >= 0 && !repeat && orderHash != Ids.EMPTY) {
                    // applied after the payment's decision, as an order is: the sender's answer comes first
                    pendingPaymentKind = kind;
                    pendingPaymentTime = time;
                    pendingPaymentOrder = orderHash;
                    pendingPaymentHash = Ids.hash(buffer, body + PaymentDecoder.paymentIdEncodingOffset(), ID);
                    pendingPaymentAmount = payment.amount();
                    pendingPaymentCurrency = OrderBook.packCurrency(buffer, body + PaymentDecoder.currencyEncodingOffset());
                    orders.overdueBeforePayment(seq, time, orderHash, kind, pendingPaymentHash, pendingPaymentAmount,
                            pendingPaymentCurrency, out);
                }
                break;
            }
            case OrderStatusDecoder.TEMPLATE_ID: {
                status.wrap(buffer, body, blockLength, version);
                final long time = advance(seq, status.eventTime(), out);
                if (orders != null) {
                    orders.onStatus(seq, status.clientSeq(), time, watermark,
                            Ids.hash(buffer, body + OrderStatusDecoder.orderIdEncodingOffset(), ID), buffer,
                            body + OrderStatusDecoder.orderIdEncodingOffset(), body + OrderStatusDecoder.userIdEncodingOffset(),
                            status.statusRaw(), out);
                }
                break;
            }
            case InventoryDecoder.TEMPLATE_ID: {
                inventory.wrap(buffer, body, blockLength, version);
                final long time = advance(seq, inventory.eventTime(), out);
                if (stock != null) {
                    final int skuAt = body + InventoryDecoder.skuEncodingOffset();
                    final int warehouseAt = body + InventoryDecoder.warehouseEncodingOffset();
                    stock.onInventory(seq, time, watermark, Ids.hash(buffer, skuAt, ID), buffer, skuAt,
                            Ids.hash(buffer, warehouseAt, ID), warehouseAt, inventory.mode() == InventoryMode.LEVEL,
                            inventory.quantity(), out);
                }
                break;
            }
            case ActivityDecoder.TEMPLATE_ID:
                activity.wrap(buffer, body, blockLength, version);
                advance(seq, activity.eventTime(), out);
                break;
            default:
                break;
        }
    }

    /**
     * Applies the order or payment {@link #onEvent} saw last (CREATED, PAID or REFUNDED pushes,
     * reservations and releases, stock pushes), after its decision is written, so the sender's answer
     * comes first among the event's outputs.
     */
    public void afterDecision(final long seq, final OutputBuffer out) {
        applyPendingOrder(seq, out);
        if (pendingPaymentKind >= 0) {
            orders.onPayment(seq, pendingPaymentTime, watermark, pendingPaymentOrder, pendingPaymentKind, pendingPaymentHash,
                    pendingPaymentAmount, pendingPaymentCurrency, out);
            pendingPaymentKind = -1;
        }
        if (stock != null) {
            stock.flushSignals(seq, out); // the event's stock signals, once per sku, after all of its reservations and releases
        }
    }

    private void applyPendingOrder(final long seq, final OutputBuffer out) {
        final DirectBuffer buffer = pendingBuffer;
        if (buffer == null) {
            return;
        }
        pendingBuffer = null;
        final int body = pendingBody;
        if (orders != null) {
            repeatedOrder = orders.onOrder(seq, pendingTime, watermark, pendingOrderHash,
                    buffer, body + OrderDecoder.orderIdEncodingOffset(), body + OrderDecoder.userIdEncodingOffset(),
                    body + OrderDecoder.merchantIdEncodingOffset(), body + OrderDecoder.instrumentIdEncodingOffset(),
                    buffer.getLong(body + OrderDecoder.amountEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN),
                    OrderBook.packCurrency(buffer, body + OrderDecoder.currencyEncodingOffset()), lines, out);
        } else if (stock != null) {
            // orders off, inventory on: lines reserve until the sku is forgotten (no lifecycle releases them)
            int held = 0;
            for (int i = 0; i < lines.count() && held < OrderBook.MAX_LINES; i++) {
                if (lines.qty(i) > 0 && stock.reserve(seq, pendingTime, watermark, lines.sku(i), lines.qty(i), out) >= 0) {
                    held++;
                }
            }
        }
    }

    /**
     * At the end of a finite input ({@code run}, {@code replay}): fires the order timers due by the newest event time
     * that {@code orders.lateness} held back, as if the slower sources it waits for had caught up (nothing more comes),
     * and those late events scheduled behind the clock (with lateness 0 too); a server never ends its input.
     */
    public void flushTimers(final long seq, final OutputBuffer out) {
        if (nextFlushedOverdue() == Long.MIN_VALUE) {
            return;
        }
        if (stock != null) {
            stock.begin();
        }
        orders.advance(seq, watermark, out);
        if (stock != null) {
            stock.advance(watermark);
            stock.flushSignals(seq, out); // released by orders forgotten now
        }
    }

    /**
     * The earliest overdue deadline {@link #flushTimers} fires, {@link Long#MAX_VALUE} when it fires none, or
     * {@link Long#MIN_VALUE} when it does nothing at all (no orders, no event yet).
     */
    public long nextFlushedOverdue() {
        // lateness 0 too: a deadline an event stamped before the clock scheduled behind it (a late order) fires at the next
        // event that moves the clock, and a finite input may have none (money trial: its UNPAID_OVERDUE was never pushed)
        if (orders == null || watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return orders.nextOverdue(watermark - 1);
    }

    /**
     * Fires, at the end of a finite input, the overdue deadlines at or before {@code limit} that lateness held back or
     * that a late event scheduled behind the clock.
     */
    public void flushOverdueThrough(final long seq, final long limit, final OutputBuffer out) {
        orders.fireOverdueThrough(seq, Math.min(limit, watermark - 1), out);
    }

    private long advance(final long seq, final long eventTime, final OutputBuffer out) {
        if (eventTime > watermark) {
            watermark = eventTime;
            final long clock = timerClock(watermark);
            if (orders != null) {
                orders.advance(seq, clock, out);
            }
            if (stock != null) {
                stock.advance(clock);
            }
        }
        return eventTime;
    }

    /**
     * Called with the decision of the order just applied, before it is written: an oversold order
     * gets the reason {@value #OVERSELL} (and, under policy REVIEW, at least a REVIEW outcome).
     */
    public void amendOrderVerdict(final Verdict verdict) {
        if (!oversold || spec.oversell == OversellPolicy.IGNORE) {
            return;
        }
        verdict.reasonKept(OVERSELL_CODE); // told even after eight rules' reasons
        if (spec.oversell == OversellPolicy.REVIEW && verdict.outcome() == Outcome.APPROVE) {
            verdict.outcome(Outcome.REVIEW);
        }
    }

    /**
     * The merchant of a held order (see {@link OrderMerchants}); false with orders off or when the
     * order is not held once an event of {@code eventTime} has advanced the watermark (and
     * forgotten what is due), as {@link #onEvent} will find it.
     */
    @Override
    public boolean copyMerchant(final long orderHash, final long eventTime, final MutableDirectBuffer into) {
        return orders != null && orders.copyMerchant(orderHash, timerClock(Math.max(watermark, eventTime)), into);
    }

    /** As {@link #copyMerchant}: the order's user and instrument ids, for a payment that names neither. */
    @Override
    public boolean copyParties(final long orderHash, final long eventTime, final MutableDirectBuffer into) {
        return orders != null && orders.copyParties(orderHash, timerClock(Math.max(watermark, eventTime)), into);
    }

    /** What the timers see of the newest event time {@code t}: {@code orders.lateness} earlier. */
    /**
     * The earliest overdue deadline an event of {@code eventTime} fires (as {@link #advance} would, before the event), or
     * {@link Long#MAX_VALUE} when it fires none: for {@link io.ringfence.engine.EngineLogic} to fire them in deadline order
     * with the carts' promotions.
     */
    public long nextOverdue(final long eventTime) {
        return orders == null || eventTime <= watermark ? Long.MAX_VALUE : orders.nextOverdue(dueLimit(eventTime));
    }

    /**
     * The overdue deadline the event at {@code offset} forces beyond what its time fires ({@link OrderBook#forcedOverdue}:
     * a payment or status moving an order past a deadline lateness holds back, or a late one), or {@link Long#MAX_VALUE}.
     */
    public long forcedOverdue(final DirectBuffer buffer, final int offset, final boolean repeat) {
        if (orders == null) {
            return Long.MAX_VALUE;
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final long time;
        final long due;
        if (header.templateId() == PaymentDecoder.TEMPLATE_ID && !repeat) {
            payment.wrap(buffer, body, header.blockLength(), header.version());
            final int kind = OrderBook.paymentKind(payment.result());
            final long orderHash = Ids.hash(buffer, body + PaymentDecoder.orderIdEncodingOffset(), ID);
            if (kind < 0 || orderHash == Ids.EMPTY) {
                return Long.MAX_VALUE;
            }
            time = payment.eventTime();
            due = orders.forcedOverdue(orderHash, time, kind, Ids.hash(buffer, body + PaymentDecoder.paymentIdEncodingOffset(), ID),
                    payment.amount(), OrderBook.packCurrency(buffer, body + PaymentDecoder.currencyEncodingOffset()), 0);
        } else if (header.templateId() == OrderStatusDecoder.TEMPLATE_ID) {
            status.wrap(buffer, body, header.blockLength(), header.version());
            time = status.eventTime();
            due = orders.forcedOverdue(Ids.hash(buffer, body + OrderStatusDecoder.orderIdEncodingOffset(), ID), time, -1, 0, 0, 0,
                    status.statusRaw());
        } else {
            return Long.MAX_VALUE;
        }
        // one the event's time makes due anyway is fired as any timer (nextOverdue), not as forced
        return due != Long.MAX_VALUE && time > watermark && due <= dueLimit(time) ? Long.MAX_VALUE : due;
    }

    /** Fires the overdue {@link #forcedOverdue} named, for the payment or status at {@code offset}. */
    public void fireForcedOverdue(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int orderIdAt = header.templateId() == PaymentDecoder.TEMPLATE_ID ? PaymentDecoder.orderIdEncodingOffset()
                : OrderStatusDecoder.orderIdEncodingOffset();
        orders.fireOverdueOf(seq, Ids.hash(buffer, body + orderIdAt, ID), out);
    }

    /** Fires the overdue timers an event of {@code eventTime} fires whose deadline is at or before {@code limit}. */
    public void fireOverdueThrough(final long seq, final long eventTime, final long limit, final OutputBuffer out) {
        if (orders != null && eventTime > watermark) {
            orders.fireOverdueThrough(seq, Math.min(limit, dueLimit(eventTime)), out);
        }
    }

    /** The last deadline an event of {@code eventTime} fires: one exactly at the timers' clock is still in time. */
    private long dueLimit(final long eventTime) {
        final long clock = timerClock(eventTime);
        return clock == Long.MIN_VALUE ? Long.MIN_VALUE : clock - 1;
    }

    private long timerClock(final long t) {
        return t < Long.MIN_VALUE + spec.lateness ? Long.MIN_VALUE : t - spec.lateness;
    }

    /**
     * True after {@link #afterDecision} of an order event whose order was already held from an order
     * event of its own (a repeat the lifecycle ignores; trending does not count its lines again).
     * Always false with orders off.
     */
    public boolean repeatedOrder() {
        return repeatedOrder;
    }

    /** The newest event time seen (microseconds), {@code Long.MIN_VALUE} before any event. */
    public long watermark() {
        return watermark;
    }

    public long orderStatusPushes() {
        return publisher.orderPushes();
    }

    public long stockPushes() {
        return publisher.stockPushes();
    }

    /** Order statuses refused (invalid transition, unknown order). */
    public long rejects() {
        return publisher.rejects();
    }

    public long oversells() {
        return oversells;
    }

    /** Orders held now (0 with orders off). */
    public int openOrders() {
        return orders == null ? 0 : orders.size();
    }

    /** Skus held now (0 with inventory off). */
    public int trackedSkus() {
        return stock == null ? 0 : stock.size();
    }

    /** {@code orders.maxOrders}. */
    public int maxOrders() {
        return spec.maxOrders;
    }

    /** {@code inventory.maxSkus}. */
    public int maxSkus() {
        return spec.maxSkus;
    }

    /** New orders not tracked because {@code orders.maxOrders} were held. */
    public long ordersDropped() {
        return orders == null ? 0 : orders.ordersDropped();
    }

    /** New skus not tracked because {@code inventory.maxSkus} were held. */
    public long skusDropped() {
        return stock == null ? 0 : stock.skusDropped();
    }

    /** Inventory events of a warehouse beyond the 8 a sku holds: ignored. */
    public long warehousesDropped() {
        return stock == null ? 0 : stock.warehousesDropped();
    }

    /** Inventory events ignored as stale: a delta stamped before its warehouse's last LEVEL count, or a LEVEL stamped before an event already applied to it. */
    public long staleInventory() {
        return stock == null ? 0 : stock.staleInventory();
    }

    /** Orders forgotten before their time to make room for a new one ({@code orders.whenFull: forget-oldest}). */
    public long ordersForgottenForRoom() {
        return orders == null ? 0 : orders.forgottenForRoom();
    }

    /** Payments that did not (yet) add up to their order's amount, so moved nothing (docs/orders.md "Lifecycle"). */
    public long partialPayments() {
        return orders == null ? 0 : orders.partialPayments();
    }

    /** Refunds that did not (yet) add up to their order's amount: the order stays as it is, its stock reserved. */
    public long partialRefunds() {
        return orders == null ? 0 : orders.partialRefunds();
    }

    /** Payments in another currency than their order's: not added up, moved nothing. */
    public long otherCurrencyPayments() {
        return orders == null ? 0 : orders.otherCurrencyPayments();
    }

    /** Payments not added up because one with the same paymentId and result kind already was (a retried notification). */
    public long repeatedPayments() {
        return orders == null ? 0 : orders.repeatedPayments();
    }

    /** Order events of an order already held from an order event of its own: ignored (trending does not count them either). */
    public long duplicateOrders() {
        return orders == null ? 0 : orders.duplicateOrders();
    }

    /** Payments that came before their order (orders.earlyPayments) and were applied when it came. */
    public long earlyPaymentsApplied() {
        return orders == null ? 0 : orders.earlyPaymentsApplied();
    }

    /** Payments of orders not held that no order came for within orders.earlyPayments (expired, or not kept with 0s). */
    public long paymentsWithoutOrder() {
        return orders == null ? 0 : orders.paymentsWithoutOrder();
    }

    /** Payments that waited for their order and were pushed out for room (orders.maxEarlyPayments, or 8 for one order). */
    public long earlyPaymentsPushedOut() {
        return orders == null ? 0 : orders.earlyPaymentsPushedOut();
    }

    /** Payments waiting for their order now. */
    public int earlyPaymentsWaiting() {
        return orders == null ? 0 : orders.earlyPaymentsWaiting();
    }

    /** Orders forgotten by retention or idleness. */
    public long ordersEvicted() {
        return orders == null ? 0 : orders.evicted();
    }

    public long skusEvicted() {
        return stock == null ? 0 : stock.evicted();
    }

    /** An order's lifecycle state, or null if not held (tests and tools). */
    public OrderState orderState(final String orderId) {
        final int s = orders == null ? 0 : orders.stateOf(Ids.hash(orderId));
        return s == 0 ? null : OrderState.get((short) s);
    }

    /** Available stock (on hand − reserved) of a tracked sku, or {@code Long.MIN_VALUE} (tests and tools). */
    public long available(final String sku) {
        return stock == null ? Long.MIN_VALUE : stock.available(Ids.hash(sku));
    }

    public long stateHash() {
        long h = MARKER;
        h = h * 31 + watermark;
        h = h * 31 + oversells;
        h = h * 31 + publisher.orderPushes();
        h = h * 31 + publisher.stockPushes();
        h = h * 31 + publisher.rejects();
        if (orders != null) {
            h = h * 31 + orders.stateHash();
        }
        if (stock != null) {
            h = h * 31 + stock.stateHash();
        }
        return h;
    }

    /** An upper bound of the bytes {@link #writeState} writes now, from table sizes. */
    public long stateBytesBound() {
        return 4 + 5 * 8 + 2 + (orders == null ? 0 : orders.stateBytesBound()) + (stock == null ? 0 : stock.stateBytesBound());
    }

    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(watermark).putLong(oversells);
        w.putLong(publisher.orderPushes()).putLong(publisher.stockPushes()).putLong(publisher.rejects());
        w.putBoolean(orders != null).putBoolean(stock != null);
        if (orders != null) {
            orders.writeState(w);
        }
        if (stock != null) {
            stock.writeState(w);
        }
    }

    public void readState(final StateReader r) {
        r.expect(MARKER, "commerce");
        watermark = r.getLong();
        oversells = r.getLong();
        publisher.restore(r.getLong(), r.getLong(), r.getLong());
        final boolean hasOrders = r.getBoolean();
        final boolean hasStock = r.getBoolean();
        if (hasOrders != (orders != null) || hasStock != (stock != null)) {
            throw new io.ringfence.engine.snapshot.SnapshotFormatException("the snapshot's orders/inventory sections (" + hasOrders
                    + "/" + hasStock + ") do not match this configuration's enabled flags");
        }
        if (orders != null) {
            orders.readState(r);
        }
        if (stock != null) {
            stock.readState(r);
        }
    }
}
