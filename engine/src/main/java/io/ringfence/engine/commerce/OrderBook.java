package io.ringfence.engine.commerce;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.timer.DeadlineQueue;
import io.ringfence.engine.timer.SlotDeadlineHandler;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.sbe.RejectCode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The state of every open order (docs/orders.md "Lifecycle"): its lifecycle state
 * ({@link OrderTransitions}), its ids (order and user for pushes, merchant for windows that key
 * payments by their order's merchant: {@link #copyMerchant}), and the item lines it reserves in the
 * {@link StockBook} while CREATED or PAID. Every change is an {@code OrderStatusPush}; an invalid
 * move or a status for an unknown order is a {@code Reject}.
 *
 * <p>Event-time timers ({@link DeadlineQueue}): an order still CREATED {@code unpaidAfter} after
 * its order event is pushed as UNPAID_OVERDUE, one still PAID {@code unshippedAfter} after it was
 * paid as UNSHIPPED_OVERDUE, each once. A second queue forgets settled orders (DELIVERED,
 * CANCELLED, REFUNDED) {@code retention} after their last change and any other order
 * {@code idleTtl} after it, releasing what it still reserves. Both fire when the business stage's
 * watermark (the newest event time seen) reaches them. With {@code maxOrders} held, a new order
 * makes room by forgetting the order that queue would forget first ({@code whenFull:
 * forget-oldest}, counted as {@link #forgottenForRoom}) or is not tracked ({@code refuse}).
 */
final class OrderBook {
    /** Item lines of one order that reserve stock; further lines are counted, not reserved. */
    static final int MAX_LINES = 16;
    private static final int MARKER = 0x4f524452; // "ORDR"
    private static final int ID = CommercePublisher.ID;
    /**
     * Id bytes per order: order id, user id, merchant id, instrument id ({@code ID} each; the merchant and instrument all
     * NUL when not known). The instrument is for a payment that names its order but not its card (fraud scoring).
     */
    private static final int IDS = 4 * ID;
    /** The line count byte of {@link Page#meta}: the count in the low bits, and {@link #ADOPTED}. */
    private static final int LINES = 0x1F;
    /** Flag in the line count byte: adopted from a status, no order event seen yet (its lines are not known). */
    private static final int ADOPTED = 0x40;
    /**
     * Flag in the line count byte: another order event came under this order id naming another user or merchant (another
     * card alone is the same customer's order sent again)
     * (ids are the engine's, not a merchant's: two shops' order "1001" behind one payment provider). The first stays
     * held, but lends its parties to no payment and its merchant to no window: which order a payment naming only that
     * id is of cannot be known (integrator trial: a payment of merchant B's order was declined for merchant A's denied
     * card).
     */
    private static final int CONTESTED = 0x20;
    /**
     * Money per order, in {@link Page#money}: the order's amount and currency, what payments in it added
     * up to, and the last {@link #SEEN} payments added (their id and kind), so that a payment sent again
     * (a webhook retry under its own paymentId) is not added twice.
     */
    private static final int MONEY = 22; // SEEN_IDS + SEEN
    private static final int AMOUNT = 0;
    /** The order's currency, its 3 bytes packed ({@link #packCurrency}); 0 while no order event named it (adopted). */
    private static final int CURRENCY = 1;
    static final int AUTHORIZED = 2;
    static final int CAPTURED = 3;
    static final int REFUNDED = 4;
    /** How many payments added so far (the next {@link #SEEN_IDS} entry to write is this modulo {@link #SEEN}). */
    private static final int SEEN_COUNT = 5;
    private static final int SEEN_IDS = 6;
    /**
     * 16 since 2026-12-07.3 (money trial, HIGH: with 4, a retry of an order's first payment after 4 more was added again,
     * and an order paid in 5 parts was pushed PAID 10.00 short); an order paid in more parts than this is rare enough.
     */
    private static final int SEEN = 16;
    private static final byte[] UNKNOWN = ("unknown order: no order event seen, or forgotten (orders.retention,"
            + " orders.idleTtl, or to make room under orders.maxOrders)").getBytes(StandardCharsets.US_ASCII);

    private final CommerceSpec spec;
    private final CommercePublisher publisher;
    private final StockBook stock;
    private final Slots slots;
    private final DeadlineQueue overdue;
    private final DeadlineQueue expiry;
    private final OverdueHandler overdueHandler = new OverdueHandler();
    private final ExpiryHandler expiryHandler = new ExpiryHandler();
    private final RoomHandler roomHandler = new RoomHandler();
    private final RoomCredit roomCredit = new RoomCredit();
    private final EarlyPayments early;
    /** The orders' state by page of {@link Slots#PAGE_SLOTS} slots; a page is null until its first slot is used. */
    private final Page[] pages;
    /** The event being processed, for the timer handlers. */
    private long currentSeq;
    private long currentWatermark;
    /** The event time of the event being processed, for {@link RoomHandler}. */
    private long currentTime;
    private OutputBuffer currentOut;
    private long ordersDropped;
    private long duplicateOrders;
    private long linesNotReserved;
    private long invalidTransitions;
    private long unknownOrders;
    private long overduePushes;
    private long evicted;
    private long forgottenForRoom;
    /** Payments that did not (yet) cover their order's amount: no move (docs/orders.md "Lifecycle"). */
    private long partialPayments;
    /** Refunds that did not (yet) reach their order's amount: no move, nothing released. */
    private long partialRefunds;
    /** Payments in another currency than their order's: no move, not added up. */
    private long otherCurrencyPayments;
    /** Payments not added because one of the same paymentId and kind already was. */
    private long repeatedPayments;

    /** @param stock reservations go here, or null (inventory off) */
    OrderBook(final CommerceSpec spec, final CommercePublisher publisher, final StockBook stock) {
        this.spec = spec;
        this.publisher = publisher;
        this.stock = stock;
        this.slots = new Slots(spec.maxOrders);
        // the timers name an order by its slot: no key lookups when scheduling, cancelling or firing
        this.overdue = DeadlineQueue.forSlots(spec.maxOrders);
        this.expiry = DeadlineQueue.forSlots(spec.maxOrders);
        this.pages = new Page[Slots.pages(spec.maxOrders)];
        this.early = new EarlyPayments(spec.maxEarlyPayments, spec.earlyPayments);
    }

    /**
     * The state of {@value Slots#PAGE_SLOTS} orders, allocated once and never copied. An order's
     * lifecycle state and line count sit side by side ({@link #meta}), read together.
     */
    private static final class Page {
        /** Per order: lifecycle state code, then the number of lines it reserves ({@link #LINES}) and {@link #ADOPTED}. */
        final byte[] meta = new byte[2 * Slots.PAGE_SLOTS];
        /** Per order: order id bytes, user id bytes, merchant id bytes, instrument id bytes, {@code ID} each. */
        final byte[] ids = new byte[Slots.PAGE_SLOTS * IDS];
        final long[] lineSku = new long[Slots.PAGE_SLOTS * MAX_LINES];
        final int[] lineQty = new int[Slots.PAGE_SLOTS * MAX_LINES];
        /**
         * Per order, {@link #MONEY} values: amount, currency, the sums of its AUTHORIZED, CAPTURED and REFUNDED
         * payments, how many were added, and the ids of the last {@link #SEEN} added.
         */
        final long[] money = new long[Slots.PAGE_SLOTS * MONEY];
    }

    /** A currency's 3 ASCII bytes at {@code at} as one number (never 0 for a real code). */
    static long packCurrency(final DirectBuffer in, final int at) {
        return (in.getByte(at) & 0xFF) | (in.getByte(at + 1) & 0xFF) << 8 | (in.getByte(at + 2) & 0xFF) << 16;
    }

    /** Sets an order's amount and currency (from its order event) and clears what payments added up. */
    private static void setMoney(final Page p, final int at, final long amount, final long currency) {
        final int m = at * MONEY;
        p.money[m + AMOUNT] = amount;
        p.money[m + CURRENCY] = currency;
        p.money[m + AUTHORIZED] = 0;
        p.money[m + CAPTURED] = 0;
        p.money[m + REFUNDED] = 0;
        p.money[m + SEEN_COUNT] = 0;
    }

    private Page page(final int slot) {
        return pages[Slots.page(slot)];
    }

    /** The page of a slot just handed out by {@link Slots#add}, allocated if it is the page's first. */
    private Page pageFor(final int slot) {
        Page p = pages[Slots.page(slot)];
        if (p == null) {
            p = new Page();
            pages[Slots.page(slot)] = p;
        }
        return p;
    }

    /** The earliest overdue deadline at or before {@code limit}, or {@link Long#MAX_VALUE} when none is due by then. */
    long nextOverdue(final long limit) {
        final long d = overdue.peekDeadline();
        return d == DeadlineQueue.NO_DEADLINE || d > limit ? Long.MAX_VALUE : d;
    }

    /** Fires the overdue timers whose deadline is at or before {@code limit} (in deadline order). */
    void fireOverdueThrough(final long seq, final long limit, final OutputBuffer out) {
        currentSeq = seq;
        currentOut = out;
        overdue.drainDueSlots(limit, overdueHandler); // the handler, not a lambda: nothing allocated per event
        currentOut = null;
    }

    /** Fires the overdue timers and forgets expired orders up to {@code watermark}; pushes go to {@code out}. */
    void advance(final long seq, final long watermark, final OutputBuffer out) {
        currentSeq = seq;
        currentWatermark = watermark;
        currentOut = out;
        overdue.drainDueSlots(watermark - 1, overdueHandler); // an event exactly at the deadline is in time (as for carts)
        expiry.drainDueSlots(watermark - 1, expiryHandler); // an event exactly at retention / idleTtl still finds it
        early.advance(watermark);
        currentOut = null;
    }

    /**
     * An order event: a new order is CREATED (pushed) and reserves its lines.
     *
     * @return true when the order was already held from an order event of its own (a repeat: nothing changes)
     */
    boolean onOrder(final long seq, final long eventTime, final long watermark, final long orderHash, final DirectBuffer in,
                 final int orderAt, final int userAt, final int merchantAt, final int instrumentAt, final long amount, final long currency,
                 final OrderLines lines, final OutputBuffer out) {
        final int existing = slots.find(orderHash);
        if (existing != Slots.NONE) {
            final Page p = page(existing);
            final int at = Slots.at(existing);
            if ((p.meta[2 * at + 1] & ADOPTED) != 0) {
                // adopted from a status that came first: the order event completes it (user, merchant, reservations)
                if (in.getByte(userAt) != 0) {
                    in.getBytes(userAt, p.ids, at * IDS + ID, ID);
                }
                in.getBytes(merchantAt, p.ids, at * IDS + 2 * ID, ID);
                in.getBytes(instrumentAt, p.ids, at * IDS + 3 * ID, ID);
                p.meta[2 * at + 1] = (byte) (reserves(p.meta[2 * at]) ? reserveLines(seq, eventTime, watermark, p, at, lines, out) : 0);
                setMoney(p, at, amount, currency); // later payments are weighed against it
                return false;
            }
            duplicateOrders++;
            if (p.ids[at * IDS + 2 * ID] == 0) {
                in.getBytes(merchantAt, p.ids, at * IDS + 2 * ID, ID); // the first order event named none
            }
            // another user or merchant is another order; the same user's order sent again with another card is not
            // (review s42: a card changed after a decline made a denied user's payment lend no user)
            if (!same(p, at * IDS + ID, in, userAt) || !same(p, at * IDS + 2 * ID, in, merchantAt)) {
                p.meta[2 * at + 1] |= CONTESTED;
            }
            return true;
        }
        final int slot = place(seq, eventTime, watermark, orderHash, out);
        if (slot == Slots.NONE) {
            return false;
        }
        final Page p = pageFor(slot);
        final int at = Slots.at(slot);
        in.getBytes(orderAt, p.ids, at * IDS, ID);
        in.getBytes(userAt, p.ids, at * IDS + ID, ID);
        in.getBytes(merchantAt, p.ids, at * IDS + 2 * ID, ID);
        in.getBytes(instrumentAt, p.ids, at * IDS + 3 * ID, ID);
        setMoney(p, at, amount, currency);
        p.meta[2 * at] = (byte) OrderState.CREATED.value();
        publisher.orderStatus(seq, eventTime, p.ids, at * IDS, OrderState.CREATED, out);
        p.meta[2 * at + 1] = (byte) reserveLines(seq, eventTime, watermark, p, at, lines, out);
        if (spec.unpaidAfter > 0) {
            overdue.scheduleSlot(slot, orderHash, eventTime + spec.unpaidAfter);
        }
        expiry.scheduleSlot(slot, orderHash, watermark + spec.orderIdleTtl);
        applyEarlyPayments(seq, eventTime, watermark, orderHash, out);
        return false;
    }

    /** Applies, in arrival order, the payments that came for {@code orderHash} before it was held ({@link EarlyPayments}). */
    private void applyEarlyPayments(final long seq, final long eventTime, final long watermark, final long orderHash,
                                    final OutputBuffer out) {
        final int first = early.first(orderHash);
        if (first < 0) {
            return;
        }
        long at = eventTime;
        for (int e = first; e >= 0; e = early.next(e)) {
            // at its own time (never before its order's, nor before an earlier-applied one's: the order is paid when the
            // last payment that completes it happened, review): its PAID is stamped when it happened, and one stamped after
            // the order's unpaid deadline pushes UNPAID_OVERDUE first (out-of-order trial: PAID was stamped with the order's
            // time, and the overdue of an order paid 30 s after its deadline was lost when the payment arrived first)
            at = Math.max(at, early.time(e));
            onPayment(seq, at, watermark, orderHash, early.kind(e), early.payment(e), early.amount(e), early.currency(e), out);
        }
        early.applied(orderHash);
    }

    /** Reserves an order's lines (at most {@link #MAX_LINES}) into its page; returns how many are held. */
    private int reserveLines(final long seq, final long eventTime, final long watermark, final Page p, final int at,
                             final OrderLines lines, final OutputBuffer out) {
        int held = 0;
        for (int i = 0; i < lines.count(); i++) {
            if (lines.qty(i) <= 0 || stock == null) {
                continue; // a return line (negative quantity) reserves nothing
            }
            if (held == MAX_LINES) {
                linesNotReserved++;
                continue;
            }
            final long sku = lines.sku(i);
            final int r = stock.reserve(seq, eventTime, watermark, sku, lines.qty(i), out);
            if (r >= 0) {
                p.lineSku[at * MAX_LINES + held] = sku;
                p.lineQty[at * MAX_LINES + held] = lines.qty(i);
                held++;
            }
        }
        return held;
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
        final Page p = page(slot);
        final int at = Slots.at(slot);
        if (p.ids[at * IDS + ID] == 0 && in.getByte(userAt) != 0) {
            in.getBytes(userAt, p.ids, at * IDS + ID, ID); // adopted without a user: a later status names it
        }
        final int from = p.meta[2 * at];
        switch (OrderTransitions.check(from, status)) {
            case OrderTransitions.ALLOWED:
                move(seq, eventTime, watermark, orderHash, slot, status, out);
                break;
            case OrderTransitions.SAME:
                break;
            default:
                invalidTransitions++;
                publisher.reject(seq, clientSeq, RejectCode.INVALID_TRANSITION, OrderTransitions.reason(from, status), out);
                break;
        }
    }

    /**
     * A payment of a held order: AUTHORIZED or CAPTURED pays a CREATED order, REFUNDED refunds it where
     * allowed, once the payments of that kind in the order's currency add up to its amount (AUTHORIZED and
     * CAPTURED are summed apart: a capture repeats its authorization's money); a payment in another
     * currency is counted and changes nothing. Only payments that could move the order are added up
     * (a refund of a CREATED order is not kept for after its payment). An order adopted from a status, whose amount no order
     * event has named yet, moves on any payment. A payment of an order not held waits for it ({@link EarlyPayments}).
     *
     * @param kind     {@link #AUTHORIZED}, {@link #CAPTURED} or {@link #REFUNDED} (the payment's result)
     * @param currency {@link #packCurrency} of the payment's currency
     */
    void onPayment(final long seq, final long eventTime, final long watermark, final long orderHash, final int kind,
                   final long paymentHash, final long amount, final long currency, final OutputBuffer out) {
        final int slot = slots.find(orderHash);
        if (slot == Slots.NONE) {
            if (early.hold(orderHash, kind, paymentHash, amount, currency, eventTime, watermark) == EarlyPayments.REPEATED) {
                repeatedPayments++; // a retried notification of a payment already waiting
            }
            return;
        }
        final Page p = page(slot);
        final int m = Slots.at(slot) * MONEY;
        final int to = kind == REFUNDED ? OrderState.REFUNDED.value() : OrderState.PAID.value();
        if (OrderTransitions.check(p.meta[2 * Slots.at(slot)], to) != OrderTransitions.ALLOWED) {
            return; // a payment of a paid order, a refund of an unpaid one: not added up, counted nowhere
        }
        if (p.money[m + CURRENCY] != 0) {
            if (p.money[m + CURRENCY] != currency) {
                otherCurrencyPayments++;
                return;
            }
            final long id = seenId(paymentHash, kind, amount);
            final long added = p.money[m + SEEN_COUNT];
            for (int i = 0; i < Math.min(added, SEEN); i++) {
                if (p.money[m + SEEN_IDS + i] == id) {
                    repeatedPayments++;
                    return;
                }
            }
            p.money[m + SEEN_IDS + (int) (added % SEEN)] = id;
            p.money[m + SEEN_COUNT] = added + 1;
            final long sum = p.money[m + kind] + amount; // each at most 10^15 minor units: no overflow short of ~9,000 of them
            p.money[m + kind] = sum < 0 ? Long.MAX_VALUE : sum;
            if (p.money[m + kind] < p.money[m + AMOUNT]) {
                if (kind == REFUNDED) {
                    partialRefunds++;
                } else {
                    partialPayments++;
                }
                // a payment added is activity: an order paid in instalments is not forgotten as idle between them
                scheduleExpiry(slot, orderHash, watermark, p.meta[2 * Slots.at(slot)]);
                return;
            }
        }
        move(seq, eventTime, watermark, orderHash, slot, to, out);
    }

    /**
     * Before a payment's decision: when the payment, stamped {@code eventTime}, will move its held order ({@link
     * #onPayment} after the decision) and the order's overdue deadline is before that time with its timer not fired yet
     * (orders.lateness, or a late event), pushes the overdue now, so that it comes before the payment's decision, as the
     * timer's would (review: it came after the decision and before PAID, one event's pushes going back in time).
     */
    void overdueBeforePayment(final long seq, final long eventTime, final long orderHash, final int kind, final long paymentHash,
                              final long amount, final long currency, final OutputBuffer out) {
        final int slot = slots.find(orderHash);
        if (slot == Slots.NONE) {
            return;
        }
        final long due = overdue.deadlineOfSlot(slot);
        if (due == DeadlineQueue.NO_DEADLINE || due >= eventTime || !wouldMove(slot, kind, paymentHash, amount, currency)) {
            return;
        }
        overdue.cancelSlot(slot);
        pushOverdue(seq, due, slot, out);
    }

    /**
     * The overdue deadline of order {@code orderHash} that an event of {@code eventTime} moving it forces ({@link #move}:
     * before that time, its timer not fired), or {@link Long#MAX_VALUE}: a payment ({@code kind} >= 0) that
     * {@link #onPayment} would let move it, or a status ({@code kind} < 0, {@code status}) its transitions allow.
     */
    long forcedOverdue(final long orderHash, final long eventTime, final int kind, final long paymentHash, final long amount,
                       final long currency, final int status) {
        final int slot = slots.find(orderHash);
        if (slot == Slots.NONE) {
            return Long.MAX_VALUE;
        }
        final long due = overdue.deadlineOfSlot(slot);
        if (due == DeadlineQueue.NO_DEADLINE || due >= eventTime) {
            return Long.MAX_VALUE;
        }
        final boolean moves = kind >= 0 ? wouldMove(slot, kind, paymentHash, amount, currency)
                : OrderTransitions.check(page(slot).meta[2 * Slots.at(slot)], status) == OrderTransitions.ALLOWED;
        return moves ? due : Long.MAX_VALUE;
    }

    /** Pushes, now, the overdue of order {@code orderHash} whose timer has not fired, cancelling it (see {@link #forcedOverdue}). */
    void fireOverdueOf(final long seq, final long orderHash, final OutputBuffer out) {
        final int slot = slots.find(orderHash);
        if (slot == Slots.NONE) {
            return;
        }
        final long due = overdue.deadlineOfSlot(slot);
        if (due != DeadlineQueue.NO_DEADLINE) {
            overdue.cancelSlot(slot);
            pushOverdue(seq, due, slot, out);
        }
    }

    /** Whether {@link #onPayment} moves the order in {@code slot}: {@link #onPayment}'s checks, changing nothing. */
    private boolean wouldMove(final int slot, final int kind, final long paymentHash, final long amount, final long currency) {
        final Page p = page(slot);
        final int m = Slots.at(slot) * MONEY;
        final int to = kind == REFUNDED ? OrderState.REFUNDED.value() : OrderState.PAID.value();
        if (OrderTransitions.check(p.meta[2 * Slots.at(slot)], to) != OrderTransitions.ALLOWED) {
            return false;
        }
        if (p.money[m + CURRENCY] == 0) {
            return true; // adopted without an amount: any payment moves it
        }
        if (p.money[m + CURRENCY] != currency) {
            return false;
        }
        final long id = seenId(paymentHash, kind, amount);
        for (int i = 0; i < Math.min(p.money[m + SEEN_COUNT], SEEN); i++) {
            if (p.money[m + SEEN_IDS + i] == id) {
                return false;
            }
        }
        final long sum = p.money[m + kind] + amount;
        return (sum < 0 ? Long.MAX_VALUE : sum) >= p.money[m + AMOUNT];
    }

    /**
     * What tells a payment sent again from another one of the same order: its id and kind (a capture may repeat its
     * authorization's id), and for a refund its amount too: payment providers send partial refunds under the original
     * payment's id (integrator trial: a second partial refund was dropped as a retried notification and the order never
     * became REFUNDED). Two refunds of one amount under one id are still taken for one.
     */
    static long seenId(final long paymentHash, final int kind, final long amount) {
        final long id = Ids.combine(paymentHash, kind);
        return kind == REFUNDED ? Ids.combine(id, amount) : id;
    }

    /** {@link #onPayment}'s kind of a payment result, or -1 for a result that moves no order (DECLINED, FAILED, CHARGEBACK). */
    static int paymentKind(final PaymentResult result) {
        switch (result) {
            case AUTHORIZED: return AUTHORIZED;
            case CAPTURED: return CAPTURED;
            case REFUNDED: return REFUNDED;
            default: return -1;
        }
    }

    private boolean adopt(final long seq, final long eventTime, final long watermark, final long orderHash,
                          final DirectBuffer in, final int orderAt, final int userAt, final int status, final OutputBuffer out) {
        final int slot = place(seq, eventTime, watermark, orderHash, out);
        if (slot == Slots.NONE) {
            return false;
        }
        final Page p = pageFor(slot);
        final int at = Slots.at(slot);
        in.getBytes(orderAt, p.ids, at * IDS, ID);
        in.getBytes(userAt, p.ids, at * IDS + ID, ID);
        Arrays.fill(p.ids, at * IDS + 2 * ID, (at + 1) * IDS, (byte) 0); // a status names no merchant nor instrument
        setMoney(p, at, 0, 0); // nor an amount: until its order event, any payment moves it
        p.meta[2 * at + 1] = (byte) ADOPTED;
        p.meta[2 * at] = (byte) OrderState.CREATED.value();
        if (status == OrderState.CREATED.value()) {
            publisher.orderStatus(seq, eventTime, p.ids, at * IDS, OrderState.CREATED, out);
            if (spec.unpaidAfter > 0) {
                overdue.scheduleSlot(slot, orderHash, eventTime + spec.unpaidAfter);
            }
            expiry.scheduleSlot(slot, orderHash, watermark + spec.orderIdleTtl);
        } else {
            move(seq, eventTime, watermark, orderHash, slot, status, out);
        }
        applyEarlyPayments(seq, eventTime, watermark, orderHash, out);
        return true;
    }

    /**
     * A slot for a new order. With {@code maxOrders} held, {@code whenFull: forget-oldest} first
     * forgets the order the expiry queue would forget first (every held order is in it), releasing
     * what it reserves at this event's time; {@code refuse} counts the order as dropped.
     *
     * @return the slot, or {@link Slots#NONE} when the order is not tracked
     */
    private int place(final long seq, final long eventTime, final long watermark, final long orderHash, final OutputBuffer out) {
        int slot = slots.add(orderHash);
        if (slot == Slots.NONE && spec.forgetOldestWhenFull) {
            currentSeq = seq;
            currentWatermark = watermark;
            currentTime = eventTime;
            currentOut = out;
            if (expiry.pollSlot(roomHandler)) {
                slot = slots.add(orderHash);
            }
            currentOut = null;
        }
        if (slot == Slots.NONE) {
            ordersDropped++;
        }
        return slot;
    }

    /**
     * What a new order {@code orderHash} will release before it reserves: the reservation of the
     * order {@link #place} would forget to make room for it, or {@link ReleaseCredit#NONE} (not
     * full, {@code refuse}, or the order is already held). Changes nothing.
     */
    ReleaseCredit roomCredit(final long orderHash) {
        if (!spec.forgetOldestWhenFull || slots.size() < spec.maxOrders || slots.find(orderHash) != Slots.NONE) {
            return ReleaseCredit.NONE;
        }
        final int slot = expiry.peekSlot();
        if (slot < 0 || !reserves(page(slot).meta[2 * Slots.at(slot)])) {
            return ReleaseCredit.NONE;
        }
        roomCredit.slot = slot;
        return roomCredit;
    }

    /**
     * Whether an order event for {@code orderHash} is checked for oversell: a new order (one a full book refuses too: the
     * shop sells what it does not have, tracked or not) or one adopted from a status that still reserves (CREATED or
     * PAID). A repeated order event and one adopted at SHIPPED or later take no units (operator audit: both were flagged
     * OVERSELL, and under {@code oversell: review} sent to review with a fraud alert). Changes nothing.
     */
    boolean takesStock(final long orderHash) {
        final int existing = slots.find(orderHash);
        if (existing == Slots.NONE) {
            return true;
        }
        final Page p = page(existing);
        final int at = Slots.at(existing);
        return (p.meta[2 * at + 1] & ADOPTED) != 0 && reserves(p.meta[2 * at]);
    }

    /** The reservation of one held order, by sku ({@link #roomCredit}); preallocated. */
    private final class RoomCredit implements ReleaseCredit {
        int slot;

        @Override
        public long of(final long skuHash) {
            final Page p = page(slot);
            final int at = Slots.at(slot);
            long units = 0;
            for (int i = 0; i < (p.meta[2 * at + 1] & LINES); i++) {
                if (p.lineSku[at * MAX_LINES + i] == skuHash) {
                    units += p.lineQty[at * MAX_LINES + i];
                }
            }
            return units;
        }
    }

    /** Moves the order {@code key} in {@code slot} to state {@code to}. */
    private void move(final long seq, final long eventTime, final long watermark, final long key, final int slot, final int to,
                      final OutputBuffer out) {
        final long due = overdue.deadlineOfSlot(slot);
        if (due != DeadlineQueue.NO_DEADLINE && due < eventTime) {
            // stamped past a deadline its timer has not reached (orders.lateness, or a late event): the order was
            // overdue at that deadline, whatever this event does now (trial: a payment stamped 10:30:30 arriving before
            // the clock reached 10:31 paid the order, and its 10:30 UNPAID_OVERDUE was never pushed)
            overdue.cancelSlot(slot);
            pushOverdue(seq, due, slot, out);
        }
        final Page p = page(slot);
        final int at = Slots.at(slot);
        final int from = p.meta[2 * at];
        p.meta[2 * at] = (byte) to;
        publisher.orderStatus(seq, eventTime, p.ids, at * IDS, OrderState.get((short) to), out);
        if (reserves(from) && !reserves(to)) {
            // shipped goods leave the warehouse: the stock feed's decrement follows, so the units are not back
            // on sale and their release is no RESTOCKED (it flapped LOW, RESTOCKED, LOW at every shipment)
            release(seq, eventTime, watermark, slot, to != OrderState.SHIPPED.value(), out);
        }
        if (to == OrderState.PAID.value() && spec.unshippedAfter > 0) {
            overdue.scheduleSlot(slot, key, eventTime + spec.unshippedAfter);
        } else {
            overdue.cancelSlot(slot);
        }
        scheduleExpiry(slot, key, watermark, to);
    }

    /** When an order in {@code state} is forgotten: {@code retention} after its last change once settled, else {@code idleTtl}. */
    private void scheduleExpiry(final int slot, final long key, final long watermark, final int state) {
        expiry.scheduleSlot(slot, key, watermark + (OrderTransitions.settled(state) ? spec.retention : spec.orderIdleTtl));
    }

    private static boolean reserves(final int state) {
        return state == OrderState.CREATED.value() || state == OrderState.PAID.value();
    }

    private void release(final long seq, final long eventTime, final long watermark, final int slot, final boolean signal,
                         final OutputBuffer out) {
        final Page p = page(slot);
        final int at = Slots.at(slot);
        final int n = p.meta[2 * at + 1] & LINES;
        for (int i = 0; i < n && stock != null; i++) {
            stock.release(seq, eventTime, watermark, p.lineSku[at * MAX_LINES + i], p.lineQty[at * MAX_LINES + i], signal, out);
        }
        p.meta[2 * at + 1] &= ~LINES; // nothing reserved; an adopted order stays marked until its order event
    }

    /**
     * Copies the merchant id of a held order ({@code ID} bytes, NUL padded; all NUL for an order
     * adopted from a status) into {@code into} from offset 0.
     *
     * @param watermark the watermark the next {@link #advance} will have: an order it would forget counts as not held
     * @return false when the order is not held
     */
    boolean copyMerchant(final long orderHash, final long watermark, final MutableDirectBuffer into) {
        final int slot = heldSlot(orderHash, watermark);
        if (slot == Slots.NONE) {
            return false;
        }
        into.putBytes(0, page(slot).ids, Slots.at(slot) * IDS + 2 * ID, ID);
        return true;
    }

    /** The slot of the order, or {@link Slots#NONE} when not held or due to be forgotten by {@code watermark}. */
    private int heldSlot(final long orderHash, final long watermark) {
        final int slot = slots.find(orderHash);
        return slot == Slots.NONE || expiry.deadlineOfSlot(slot) < watermark
                || (page(slot).meta[2 * Slots.at(slot) + 1] & CONTESTED) != 0 ? Slots.NONE : slot;
    }

    /** Whether the held id bytes at {@code at} equal the event's at {@code from}, or either names none there. */
    private static boolean same(final Page p, final int at, final DirectBuffer in, final int from) {
        if (in.getByte(from) == 0 || p.ids[at] == 0) {
            return true; // naming none, or held naming none, contradicts nothing
        }
        for (int i = 0; i < ID; i++) {
            if (p.ids[at + i] != in.getByte(from + i)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #copyMerchant}: the order's user id bytes at 0 and its instrument id bytes at {@code ID} (NUL if none). */
    boolean copyParties(final long orderHash, final long watermark, final MutableDirectBuffer into) {
        final int slot = heldSlot(orderHash, watermark);
        if (slot == Slots.NONE) {
            return false;
        }
        final Page p = page(slot);
        final int at = Slots.at(slot);
        into.putBytes(0, p.ids, at * IDS + ID, ID);
        into.putBytes(ID, p.ids, at * IDS + 3 * ID, ID);
        return true;
    }

    /** An order's lifecycle state code, or 0 if not held (tests). */
    int stateOf(final long orderHash) {
        final int slot = slots.find(orderHash);
        return slot == Slots.NONE ? 0 : page(slot).meta[2 * Slots.at(slot)];
    }

    private final class OverdueHandler implements SlotDeadlineHandler {
        @Override
        public void onDeadline(final int slot, final long key, final long deadline) {
            pushOverdue(currentSeq, deadline, slot, currentOut);
        }
    }

    /** Pushes the order in {@code slot} as UNPAID_OVERDUE or UNSHIPPED_OVERDUE at {@code deadline}, if still CREATED or PAID. */
    private void pushOverdue(final long seq, final long deadline, final int slot, final OutputBuffer out) {
        final Page p = page(slot);
        final int at = Slots.at(slot);
        final int s = p.meta[2 * at];
        if (s == OrderState.CREATED.value() || s == OrderState.PAID.value()) {
            overduePushes++;
            publisher.orderStatus(seq, deadline, p.ids, at * IDS,
                    s == OrderState.CREATED.value() ? OrderState.UNPAID_OVERDUE : OrderState.UNSHIPPED_OVERDUE, out);
        }
    }

    /** Forgets the order in {@code slot} (its expiry entry already removed), releasing what it reserves at {@code time}. */
    private void forget(final int slot, final long time) {
        if (reserves(page(slot).meta[2 * Slots.at(slot)])) {
            release(currentSeq, time, currentWatermark, slot, true, currentOut);
        }
        overdue.cancelSlot(slot);
        slots.remove(slot);
    }

    /** Forgets orders whose retention or idle time ran out; the release is stamped with the deadline. */
    private final class ExpiryHandler implements SlotDeadlineHandler {
        @Override
        public void onDeadline(final int slot, final long key, final long deadline) {
            forget(slot, deadline);
            evicted++;
        }
    }

    /** Forgets the order due soonest to make room for a new one; the release is stamped with the new order's time. */
    private final class RoomHandler implements SlotDeadlineHandler {
        @Override
        public void onDeadline(final int slot, final long key, final long deadline) {
            forget(slot, currentTime);
            forgottenForRoom++;
        }
    }

    int size() {
        return slots.size();
    }

    long ordersDropped() {
        return ordersDropped;
    }

    long partialPayments() {
        return partialPayments;
    }

    long partialRefunds() {
        return partialRefunds;
    }

    long otherCurrencyPayments() {
        return otherCurrencyPayments;
    }

    long repeatedPayments() {
        return repeatedPayments;
    }

    /** Payments that came before their order and were applied when it came. */
    long earlyPaymentsApplied() {
        return early.applied();
    }

    /** Payments of orders not held that no order came for within {@code orders.earlyPayments}. */
    long paymentsWithoutOrder() {
        return early.unmatched();
    }

    /** Payments that waited for their order and were pushed out for room (maxEarlyPayments, or 8 for one order). */
    long earlyPaymentsPushedOut() {
        return early.pushedOut();
    }

    /** Payments waiting for their order now. */
    int earlyPaymentsWaiting() {
        return early.waiting();
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

    /** Orders forgotten before their time to make room for a new one ({@code whenFull: forget-oldest}). */
    long forgottenForRoom() {
        return forgottenForRoom;
    }

    long stateHash() {
        long h = slots.hash(MARKER);
        final int used = slots.used();
        for (int i = 0; i < used; i++) {
            if (!slots.live(i)) {
                continue;
            }
            final Page p = page(i);
            final int at = Slots.at(i);
            h = h * 31 + i;
            h = h * 31 + p.meta[2 * at];
            for (int b = at * IDS; b < (at + 1) * IDS; b++) {
                h = h * 31 + p.ids[b];
            }
            if ((p.meta[2 * at + 1] & ADOPTED) != 0) {
                h = h * 31 + ADOPTED;
            }
            if ((p.meta[2 * at + 1] & CONTESTED) != 0) {
                h = h * 31 + CONTESTED;
            }
            for (int l = 0; l < (p.meta[2 * at + 1] & LINES); l++) {
                h = h * 31 + p.lineSku[at * MAX_LINES + l];
                h = h * 31 + p.lineQty[at * MAX_LINES + l];
            }
            for (int v = at * MONEY; v < (at + 1) * MONEY; v++) {
                h = h * 31 + p.money[v];
            }
        }
        h = h * 31 + partialPayments;
        h = h * 31 + partialRefunds;
        h = h * 31 + otherCurrencyPayments;
        h = h * 31 + repeatedPayments;
        h = h * 31 + ordersDropped;
        h = h * 31 + duplicateOrders;
        h = h * 31 + linesNotReserved;
        h = h * 31 + invalidTransitions;
        h = h * 31 + unknownOrders;
        h = h * 31 + overduePushes;
        h = h * 31 + evicted;
        h = h * 31 + forgottenForRoom;
        h = h * 31 + overdue.stateHash();
        h = h * 31 + early.stateHash();
        return h * 31 + expiry.stateHash();
    }

    /** Bytes {@link #writeState} writes now (sizes only, no walk). */
    long stateBytesBound() {
        final long used = slots.used();
        return 4 + slots.stateBytesBound() + used * (2 + (long) IDS + MAX_LINES * 12L + MONEY * 8L) + 12 * 8
            + overdue.stateBytesBound() + expiry.stateBytesBound() + early.stateBytesBound();
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER);
        slots.write(w);
        // field by field over every used slot (the layout of the arrays this book kept before pages)
        final int used = slots.used();
        for (int i = 0; i < used; i++) {
            w.putByte(page(i).meta[2 * Slots.at(i)]);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putBytes(page(i).ids, 0, pageUsed(i, used) * IDS);
        }
        for (int i = 0; i < used; i++) {
            w.putByte(page(i).meta[2 * Slots.at(i) + 1]);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).lineSku, 0, pageUsed(i, used) * MAX_LINES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putInts(page(i).lineQty, 0, pageUsed(i, used) * MAX_LINES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).money, 0, pageUsed(i, used) * MONEY);
        }
        w.putLong(ordersDropped).putLong(duplicateOrders).putLong(linesNotReserved).putLong(invalidTransitions)
                .putLong(unknownOrders).putLong(overduePushes).putLong(evicted).putLong(forgottenForRoom);
        w.putLong(partialPayments).putLong(partialRefunds).putLong(otherCurrencyPayments).putLong(repeatedPayments);
        overdue.writeState(w);
        expiry.writeState(w);
        early.writeState(w);
    }

    /** Slots below {@code used} in the page that starts at slot {@code first}. */
    private static int pageUsed(final int first, final int used) {
        return Math.min(Slots.PAGE_SLOTS, used - first);
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "orders");
        slots.read(r, "orders");
        final int used = slots.used();
        Arrays.fill(pages, null);
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            pageFor(i);
        }
        for (int i = 0; i < used; i++) {
            page(i).meta[2 * Slots.at(i)] = r.getByte();
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getBytes(page(i).ids, 0, pageUsed(i, used) * IDS);
        }
        for (int i = 0; i < used; i++) {
            page(i).meta[2 * Slots.at(i) + 1] = r.getByte();
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).lineSku, 0, pageUsed(i, used) * MAX_LINES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getInts(page(i).lineQty, 0, pageUsed(i, used) * MAX_LINES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).money, 0, pageUsed(i, used) * MONEY);
        }
        ordersDropped = r.getLong();
        duplicateOrders = r.getLong();
        linesNotReserved = r.getLong();
        invalidTransitions = r.getLong();
        unknownOrders = r.getLong();
        overduePushes = r.getLong();
        evicted = r.getLong();
        forgottenForRoom = r.getLong();
        partialPayments = r.getLong();
        partialRefunds = r.getLong();
        otherCurrencyPayments = r.getLong();
        repeatedPayments = r.getLong();
        overdue.readState(r, slots::find);
        expiry.readState(r, slots::find);
        early.readState(r);
    }
}
