package io.ringfence.engine.commerce;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import static io.ringfence.engine.model.Mix64.mix;

/**
 * Payments that came before their order (docs/orders.md "Lifecycle"): a shop's order feed and its
 * payment provider's notifications race, and a payment of an order not held was lost, leaving a
 * paid order CREATED and then UNPAID_OVERDUE. A payment that could move an order (AUTHORIZED,
 * CAPTURED, REFUNDED) of an order not held waits here {@code holdFor} of event time (by the
 * watermark); when its order comes (an order event, or a status adopting it) the order book
 * applies what waits for it in arrival order, as if it came just after.
 *
 * <p>A ring of {@code capacity} payments in arrival order, so deadlines are in order too (the
 * watermark only rises) and expiry pops the head. A payment applied leaves a hole; a new payment
 * into a full ring drops a hole at the head, else closes up the holes ({@link #compact}), and
 * pushes out the oldest waiting payment only when {@code capacity} are waiting. At most
 * {@value #PER_ORDER} wait per order (a new one pushes out that order's oldest); a payment of the
 * same id and kind as one waiting is not kept again. Counted: applied; pushed out for room; never
 * matched (expired, or not kept at all with {@code holdFor} 0). Snapshots hold the ring exactly,
 * holes included, so a restored engine decides as the original.
 */
final class EarlyPayments {
    /** Payments that may wait for one order; a new one beyond pushes out that order's oldest. */
    static final int PER_ORDER = 8;
    /** {@link #hold}: kept to wait for its order. */
    static final int KEPT = 0;
    /** {@link #hold}: the same payment (id and kind) already waits for that order: not kept again. */
    static final int REPEATED = 1;
    /** {@link #hold}: not kept ({@code holdFor} 0): counted as without an order. */
    static final int NOT_KEPT = 2;
    private static final int MARKER = 0x4541524c; // "EARL"
    private static final int NONE = -1;
    /** {@link #kind} of a hole: a payment already applied. */
    private static final byte HOLE = -1;

    private final int capacity;
    private final long holdFor;
    /** Order hash → ring position of its first waiting payment. */
    private final Long2LongHashMap firstOf;
    private final long[] order;
    private final long[] payment;
    private final long[] amount;
    private final long[] currency;
    private final long[] deadline;
    /** Each payment's own event time: applied with it, so its PAID is stamped when it happened (out-of-order trial). */
    private final long[] time;
    private final byte[] kind;
    /** Ring position of the same order's next waiting payment, or {@link #NONE}. */
    private final int[] next;
    /** {@link #compact}'s old position to new position (-1 between calls). */
    private final int[] moved;
    private int head;
    /** Ring entries, holes included. */
    private int count;
    /** Payments waiting (ring entries that are not holes). */
    private int live;
    private long applied;
    private long unmatched;
    private long pushedOut;

    /** @param holdFor microseconds of event time a payment waits; 0 keeps none */
    EarlyPayments(final int capacity, final long holdFor) {
        this.capacity = capacity;
        this.holdFor = holdFor;
        final int n = holdFor > 0 ? capacity : 0;
        this.firstOf = new Long2LongHashMap(Math.max(16, n * 2), 0.5f, NONE);
        this.order = new long[n];
        this.payment = new long[n];
        this.amount = new long[n];
        this.currency = new long[n];
        this.deadline = new long[n];
        this.time = new long[n];
        this.kind = new byte[n];
        this.next = new int[n];
        this.moved = new int[n];
        java.util.Arrays.fill(moved, -1);
    }

    /**
     * Keeps a payment of an order not held until {@code watermark + holdFor}. With {@value #PER_ORDER}
     * already waiting for that order, its oldest is pushed out to make room (counted).
     *
     * @return {@link #KEPT}, {@link #REPEATED} or {@link #NOT_KEPT}
     */
    int hold(final long orderHash, final int paymentKind, final long paymentHash, final long paid, final long paidCurrency,
             final long eventTime, final long watermark) {
        if (holdFor == 0) {
            unmatched++;
            return NOT_KEPT;
        }
        int last = (int) firstOf.get(orderHash);
        int waiting = 0;
        for (int at = last; at != NONE; at = next[at]) {
            if (payment[at] == paymentHash && kind[at] == paymentKind && (paymentKind != OrderBook.REFUNDED || amount[at] == paid)) {
                return REPEATED; // a retried notification: it would be a repeat when applied, and must not take a place
            }
            last = at;
            waiting++;
        }
        if (waiting >= PER_ORDER) {
            final int oldest = (int) firstOf.get(orderHash);
            kind[oldest] = HOLE; // the order's oldest makes room: its place is closed up like an applied one's
            live--;
            pushedOut++;
            firstOf.put(orderHash, next[oldest]);
        }
        if (count == capacity) {
            if (kind[head] != HOLE && live < capacity) {
                compact(); // applied payments in the middle: close them up, nobody waiting is pushed out
                last = (int) firstOf.get(orderHash);
                while (last != NONE && next[last] != NONE) {
                    last = next[last];
                }
            } else {
                final int oldest = head;
                popHead(false); // an applied one leaves, or, with capacity payments waiting, the oldest is pushed out
                if (oldest == last) {
                    last = NONE; // pushed out this order's only waiting payment
                }
            }
        }
        final int at = position(count++);
        order[at] = orderHash;
        payment[at] = paymentHash;
        amount[at] = paid;
        currency[at] = paidCurrency;
        deadline[at] = watermark > Long.MAX_VALUE - holdFor ? Long.MAX_VALUE : watermark + holdFor;
        time[at] = eventTime;
        kind[at] = (byte) paymentKind;
        next[at] = NONE;
        live++;
        if (last == NONE) {
            firstOf.put(orderHash, at);
        } else {
            next[last] = at;
        }
        return KEPT;
    }

    /** Forgets the payments whose wait ended before {@code watermark} (one that ends at it is still in time). */
    void advance(final long watermark) {
        while (count > 0 && deadline[head] < watermark) {
            popHead(true);
        }
    }

    /** The first payment waiting for {@code orderHash}, a ring position, or {@link #NONE}. */
    int first(final long orderHash) {
        return count == 0 ? NONE : (int) firstOf.get(orderHash);
    }

    int next(final int at) {
        return next[at];
    }

    /** The {@link OrderBook} kind of the payment at {@code at}. */
    int kind(final int at) {
        return kind[at];
    }

    long payment(final int at) {
        return payment[at];
    }

    long amount(final int at) {
        return amount[at];
    }

    long currency(final int at) {
        return currency[at];
    }

    /** The event time of the payment at {@code at}. */
    long time(final int at) {
        return time[at];
    }

    /** Marks every payment waiting for {@code orderHash} applied (after the caller walked them). */
    void applied(final long orderHash) {
        int at = (int) firstOf.remove(orderHash);
        while (at != NONE) {
            kind[at] = HOLE;
            applied++;
            live--;
            at = next[at];
        }
    }

    /**
     * Moves the waiting payments to the front of the ring in their order, dropping the applied ones'
     * places (their chains and index follow). Deterministic: the result depends on the ring alone.
     */
    private void compact() {
        int w = 0;
        for (int i = 0; i < count; i++) {
            final int from = position(i);
            if (kind[from] == HOLE) {
                continue;
            }
            final int to = position(w++); // at or before from: its old content was moved or dropped already
            moved[from] = to;
            if (to != from) {
                order[to] = order[from];
                payment[to] = payment[from];
                amount[to] = amount[from];
                currency[to] = currency[from];
                deadline[to] = deadline[from];
                time[to] = time[from];
                kind[to] = kind[from];
                next[to] = next[from];
            }
        }
        for (int i = 0; i < w; i++) {
            final int at = position(i);
            if (next[at] != NONE) {
                next[at] = moved[next[at]]; // chains link waiting payments only
            }
        }
        for (int i = 0; i < count; i++) {
            final int from = position(i);
            // the old positions of the waiting ones, in order: their new place is moved[from]; only a chain's first is indexed
            if (moved[from] >= 0) {
                final long o = order[moved[from]];
                if (firstOf.get(o) == from) {
                    firstOf.put(o, moved[from]);
                }
            }
        }
        java.util.Arrays.fill(moved, -1);
        for (int i = w; i < count; i++) {
            kind[position(i)] = HOLE;
        }
        count = w;
    }

    /** Drops the oldest ring place; a payment still waiting there is counted as expired or as pushed out. */
    private void popHead(final boolean expired) {
        final int at = head;
        if (kind[at] != HOLE) {
            if (expired) {
                unmatched++;
            } else {
                pushedOut++;
            }
            live--;
            // the head is the oldest payment of its order, so the first of its order's chain
            if (next[at] == NONE) {
                firstOf.remove(order[at]);
            } else {
                firstOf.put(order[at], next[at]);
            }
        }
        head = head + 1 == capacity ? 0 : head + 1;
        count--;
    }

    private int position(final int i) {
        final int p = head + i;
        return p >= capacity ? p - capacity : p;
    }

    /** Payments that waited and were applied to their order. */
    long applied() {
        return applied;
    }

    /** Payments of orders not held that no order came for in time (or that could not wait: {@code holdFor} 0). */
    long unmatched() {
        return unmatched;
    }

    /** Payments pushed out to make room ({@code capacity} waiting, or {@value #PER_ORDER} for one order). */
    long pushedOut() {
        return pushedOut;
    }

    /** Payments waiting now. */
    int waiting() {
        return live;
    }

    long stateHash() {
        long h = mix(MARKER * 31L + count) * 31 + applied;
        h = (h * 31 + unmatched) * 31 + pushedOut;
        for (int i = 0; i < count; i++) {
            final int at = position(i);
            h = mix(h * 31 + kind[at]);
            if (kind[at] != HOLE) {
                h = mix(((h * 31 + order[at]) * 31 + payment[at]) * 31 + amount[at]);
                h = mix(((h * 31 + currency[at]) * 31 + deadline[at]) * 31 + time[at]);
            }
        }
        return h;
    }

    /** Bytes {@link #writeState} writes now. */
    long stateBytesBound() {
        return 32 + 49L * count;
    }

    /** The ring from its oldest entry, holes included (their place counts towards {@code capacity}). */
    void writeState(final StateWriter w) {
        w.putInt(MARKER).putInt(count).putLong(applied).putLong(unmatched).putLong(pushedOut);
        for (int i = 0; i < count; i++) {
            final int at = position(i);
            w.putByte(kind[at]).putLong(order[at]).putLong(payment[at]).putLong(amount[at]).putLong(currency[at])
                    .putLong(deadline[at]).putLong(time[at]);
        }
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "early payments");
        final int n = r.getInt("early payments", 0, holdFor == 0 ? 0 : capacity);
        applied = r.getLong();
        unmatched = r.getLong();
        pushedOut = r.getLong();
        firstOf.clear();
        head = 0;
        count = 0;
        live = 0;
        for (int at = 0; at < n; at++) {
            kind[at] = r.getByte();
            order[at] = r.getLong();
            payment[at] = r.getLong();
            amount[at] = r.getLong();
            currency[at] = r.getLong();
            deadline[at] = r.getLong();
            time[at] = r.getLong();
            next[at] = NONE;
            count++;
            if (at > 0 && deadline[at] < deadline[at - 1]) {
                throw new SnapshotFormatException("early payment " + at + " is due before the one before it");
            }
            if (kind[at] == HOLE) {
                continue;
            }
            if (kind[at] < OrderBook.AUTHORIZED || kind[at] > OrderBook.REFUNDED) {
                throw new SnapshotFormatException("early payment " + at + " has kind " + kind[at]);
            }
            live++;
            final int first = (int) firstOf.get(order[at]);
            if (first == NONE) {
                firstOf.put(order[at], at);
            } else {
                int tail = first;
                int length = 1;
                while (next[tail] != NONE) {
                    tail = next[tail];
                    length++;
                }
                if (length >= PER_ORDER) {
                    throw new SnapshotFormatException("early payments hold more than " + PER_ORDER + " for one order");
                }
                next[tail] = at;
            }
        }
    }
}
