package io.ringfence.engine.cart;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.timer.DeadlineQueue;
import io.ringfence.engine.timer.SlotDeadlineHandler;
import io.ringfence.engine.trending.TrendingPushWriter;
import io.ringfence.sbe.ActivityDecoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderStatusDecoder;
import io.ringfence.sbe.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Cart abandonment (issue 7 part 3). A cart is a user's {@code ADD_TO_CART} items since their
 * last order. When the cart's first add is not followed by an order from that user within
 * {@code delay} of event time, one promotion is pushed: a {@code TrendingPush} with window
 * {@value #WINDOW}, the user's id in {@code userId} (so a TRENDING subscriber filtering by USER
 * gets it) and the cart's skus with how often each was added, in the order first added.
 *
 * <ul>
 *   <li>At most once per cart: after the push the cart stays (marked) and later adds join it
 *   without a new deadline, until an order from the user or {@code idleTtl} after its last add
 *   closes it. An add after that opens a new cart.</li>
 *   <li>An order from the user closes the cart if the order's event time is not before the
 *   cart's first add (an order that happened earlier, arriving late, is not "after" the add).
 *   Symmetrically an add that arrives after an order of its user stamped at or after it (the
 *   clickstream lagging the order feed) opens no cart: it was followed by an order
 *   ({@link RecentOrders}, counted in {@link #addsBeforeOrder()}).</li>
 *   <li>Deadlines are event time (the {@link DeadlineQueue} of {@code io.ringfence.engine.timer}):
 *   the clock is the newest event time seen by the stage, moved by every inbound event; a
 *   deadline at {@code d} fires at the first event with a time after {@code d} (an order at
 *   exactly {@code d} is still in time), before that event is handled. The push carries
 *   {@code d} as its time and the sequence of the event that revealed it.</li>
 *   <li>Bounded: {@code maxCarts} open carts (an add that would open one more is dropped and
 *   counted), {@code maxItemsPerCart} skus per cart (more are counted), idle carts evicted.</li>
 * </ul>
 */
public final class CartStage {
    /** The {@code window} of a cart promotion. */
    public static final String WINDOW = "cartAbandoned";
    private static final int MARKER = 0x43415254; // "CART"
    private static final int ID = CartBook.ID;

    private final CartSpec spec;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ActivityDecoder activity = new ActivityDecoder();
    private final CartBook book;
    private final RecentOrders recentOrders;
    private final DeadlineQueue abandonAt;
    private final DeadlineQueue idleAt;
    private final TrendingPushWriter writer = new TrendingPushWriter();
    private final byte[] window = TrendingPushWriter.windowName(WINDOW);
    private final SlotDeadlineHandler abandoned = this::abandoned;
    private final SlotDeadlineHandler idle = this::idle;
    private long now = Long.MIN_VALUE;
    private long seq;
    private OutputBuffer out;
    private long pushes;
    private long cartsDropped;
    private long ordersClosing;
    private long idleEvicted;
    private long addsBeforeOrder;

    public CartStage(final CartSpec spec) {
        this.spec = spec;
        this.book = new CartBook(spec.maxCarts(), spec.maxItemsPerCart());
        this.recentOrders = new RecentOrders(spec.enabled() ? spec.maxCarts() : 1); // nothing to remember with carts off
        // the timers name a cart by its slot in the book: no key lookups when scheduling, cancelling or firing
        this.abandonAt = DeadlineQueue.forSlots(spec.maxCarts());
        this.idleAt = DeadlineQueue.forSlots(spec.maxCarts());
    }

    /** Fires due deadlines, then applies the event at {@code offset} (SBE header first): {@link #advance} then {@link #apply}. */
    public void onEvent(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        advance(seq, buffer, offset, out);
        apply(buffer, offset);
    }

    /**
     * Moves event time to the event's and fires the carts' deadlines due by then. The engine calls it before any stage
     * handles the event, so a promotion an event reveals leaves before that event's own pushes (audit: it came after the
     * order's CREATED push and its trending lists, one event's pushes going back in time).
     */
    public void advance(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        if (!spec.enabled()) {
            return;
        }
        final long time = eventTime(buffer, offset);
        this.seq = seq;
        this.out = out;
        if (time > now) {
            now = time;
            // carts.lateness: deadlines fire that much later, so an order of a slower source stamped in time still counts
            final long due = dueLimit(now);
            abandonAt.drainDueSlots(due, abandoned);
            idleAt.drainDueSlots(due, idle);
        }
        if (time != Long.MIN_VALUE && header.templateId() == OrderDecoder.TEMPLATE_ID) {
            abandonedBefore(orderUser(buffer, offset), time);
        }
        this.out = null;
    }

    /**
     * The earliest cart deadline the event at {@code offset} fires (as {@link #advance} would), or {@link Long#MAX_VALUE}
     * when it fires none: for {@link io.ringfence.engine.EngineLogic} to fire them in deadline order with the orders'
     * overdue pushes (out-of-order trial: a 10:30:30 promotion came before a 10:30:00 UNPAID_OVERDUE in one event).
     */
    public long nextAbandon(final long time) {
        if (!spec.enabled() || time <= now) {
            return Long.MAX_VALUE;
        }
        final long d = abandonAt.peekDeadline();
        return d == DeadlineQueue.NO_DEADLINE || d > dueLimit(time) ? Long.MAX_VALUE : d;
    }

    /** Fires the cart deadlines an event of {@code time} fires that are at or before {@code limit}. */
    public void fireAbandonThrough(final long seq, final long time, final long limit, final OutputBuffer out) {
        if (!spec.enabled() || time <= now) {
            return;
        }
        this.seq = seq;
        this.out = out;
        abandonAt.drainDueSlots(Math.min(limit, dueLimit(time)), abandoned);
        this.out = null;
    }

    /** The last cart deadline an event of {@code time} fires (carts.lateness later; one exactly at it is in time). */
    private long dueLimit(final long time) {
        return time < Long.MIN_VALUE + 1 + spec.latenessMicros() ? Long.MIN_VALUE : time - 1 - spec.latenessMicros();
    }

    /**
     * The cart deadline the order at {@code offset} forces beyond what its time fires (its user's cart's deadline before
     * the order's time, which carts.lateness holds back or the order arrives late: {@link #abandonedBefore}), or
     * {@link Long#MAX_VALUE}.
     */
    public long forcedAbandon(final DirectBuffer buffer, final int offset) {
        if (!spec.enabled()) {
            return Long.MAX_VALUE;
        }
        final long time = eventTime(buffer, offset);
        if (time == Long.MIN_VALUE || header.templateId() != OrderDecoder.TEMPLATE_ID) {
            return Long.MAX_VALUE;
        }
        final int s = book.find(orderUser(buffer, offset));
        final long due = s == CartBook.NONE ? DeadlineQueue.NO_DEADLINE : abandonAt.deadlineOfSlot(s);
        if (due == DeadlineQueue.NO_DEADLINE || due >= time || time > now && due <= dueLimit(time)) {
            return Long.MAX_VALUE; // none, in time, or one the order's time makes due anyway (nextAbandon)
        }
        return due;
    }

    /** Pushes the promotion {@link #forcedAbandon} named, for the order at {@code offset}. */
    public void fireForcedAbandon(final long seq, final DirectBuffer buffer, final int offset, final OutputBuffer out) {
        final long time = eventTime(buffer, offset);
        this.seq = seq;
        this.out = out;
        abandonedBefore(orderUser(buffer, offset), time);
        this.out = null;
    }

    /** The user hash of the order message (SBE header first) at {@code offset}. */
    private static long orderUser(final DirectBuffer buffer, final int offset) {
        return Ids.hash(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.userIdEncodingOffset(), ID);
    }

    /** The event time of the message at {@code offset}, or {@code Long.MIN_VALUE} for one that is no business event. */
    public long timeOf(final DirectBuffer buffer, final int offset) {
        return eventTime(buffer, offset);
    }

    /**
     * An order stamped after its user's cart's deadline, which the clock has not reached (carts.lateness, or an order
     * arriving late): the cart was abandoned at that deadline, so its promotion leaves now, before the order closes the
     * cart (trial: with carts.lateness 1m an order stamped 30 s after the deadline closed the cart without one).
     */
    private void abandonedBefore(final long user, final long time) {
        final int s = book.find(user);
        if (s == CartBook.NONE) {
            return;
        }
        final long due = abandonAt.deadlineOfSlot(s);
        if (due != DeadlineQueue.NO_DEADLINE && due < time) {
            abandonAt.cancelSlot(s);
            abandoned(s, user, due);
        }
    }

    /**
     * At the end of a finite input: fires the cart deadlines due by the newest event time that {@code carts.lateness}
     * held back (nothing more comes to close those carts), and those late adds scheduled behind the clock (lateness 0 too).
     */
    public void flushTimers(final long seq, final OutputBuffer out) {
        if (nextFlushedAbandon() == Long.MIN_VALUE) {
            return;
        }
        flushAbandonThrough(seq, now - 1, out);
        idleAt.drainDueSlots(now - 1, idle);
    }

    /**
     * The earliest cart deadline {@link #flushTimers} fires, {@link Long#MAX_VALUE} when it fires none, or
     * {@link Long#MIN_VALUE} when it does nothing at all (carts off, no event yet).
     */
    public long nextFlushedAbandon() {
        if (!spec.enabled() || now == Long.MIN_VALUE) { // lateness 0 too: a late add's deadline behind the clock
            return Long.MIN_VALUE;
        }
        final long d = abandonAt.peekDeadline();
        return d == DeadlineQueue.NO_DEADLINE || d > now - 1 ? Long.MAX_VALUE : d;
    }

    /** Fires, at the end of a finite input, the cart deadlines at or before {@code limit} that lateness held back. */
    public void flushAbandonThrough(final long seq, final long limit, final OutputBuffer out) {
        this.seq = seq;
        this.out = out;
        abandonAt.drainDueSlots(Math.min(limit, now - 1), abandoned);
        this.out = null;
    }

    /** Applies the event after {@link #advance}: an order closes its user's cart, an {@code ADD_TO_CART} adds to one. */
    public void apply(final DirectBuffer buffer, final int offset) {
        if (!spec.enabled()) {
            return;
        }
        final long time = eventTime(buffer, offset);
        if (time == Long.MIN_VALUE) {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int template = header.templateId();
        if (template == OrderDecoder.TEMPLATE_ID) {
            final long user = Ids.hash(buffer, body + OrderDecoder.userIdEncodingOffset(), ID);
            recentOrders.record(user, time);
            final int s = book.find(user);
            if (s != CartBook.NONE && time >= book.opened(s)) {
                close(s);
                ordersClosing++;
            }
        } else if (template == ActivityDecoder.TEMPLATE_ID) {
            activity.wrap(buffer, body, header.blockLength(), header.version());
            final int skuAt = body + ActivityDecoder.skuEncodingOffset();
            if (activity.kind() == ActivityKind.ADD_TO_CART && buffer.getByte(skuAt) != 0) {
                addToCart(buffer, body, skuAt, time);
            }
        }
    }

    /** The event's time ({@link #header} left on it), or {@code Long.MIN_VALUE} for a message that is no business event. */
    private long eventTime(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            return Long.MIN_VALUE;
        }
        final int timeAt;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID: timeAt = OrderDecoder.eventTimeEncodingOffset(); break;
            case ActivityDecoder.TEMPLATE_ID: timeAt = ActivityDecoder.eventTimeEncodingOffset(); break;
            case PaymentDecoder.TEMPLATE_ID: timeAt = PaymentDecoder.eventTimeEncodingOffset(); break;
            case OrderStatusDecoder.TEMPLATE_ID: timeAt = OrderStatusDecoder.eventTimeEncodingOffset(); break;
            case InventoryDecoder.TEMPLATE_ID: timeAt = InventoryDecoder.eventTimeEncodingOffset(); break;
            default: return Long.MIN_VALUE;
        }
        return buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + timeAt, ByteOrder.LITTLE_ENDIAN);
    }

    private void addToCart(final DirectBuffer buffer, final int body, final int skuAt, final long time) {
        final int userAt = body + ActivityDecoder.userIdEncodingOffset();
        final long user = Ids.hash(buffer, userAt, ID);
        int s = book.find(user);
        if (s == CartBook.NONE) {
            if (recentOrders.lastOrder(user) >= time) {
                addsBeforeOrder++; // arrived late: an order of the user at or after it came first, so it was followed by one
                return;
            }
            s = book.open(user, buffer, userAt, time);
            if (s == CartBook.NONE) {
                cartsDropped++;
                return;
            }
            abandonAt.scheduleSlot(s, user, time + spec.delayMicros());
        }
        book.add(s, Ids.hash(buffer, skuAt, ID), buffer, skuAt, time);
        idleAt.scheduleSlot(s, user, book.lastAdd(s) + spec.idleTtlMicros());
    }

    private void abandoned(final int s, final long user, final long deadline) {
        final int n = book.itemCount(s);
        writer.begin(out, seq, deadline, window, null, 0, book.userBytes(s), book.userAt(s), n);
        final byte[] skus = book.skuBytes(s);
        for (int i = 0; i < n; i++) {
            writer.item(skus, book.itemAt(s, i), book.adds(s, i));
        }
        writer.commit();
        book.markPushed(s);
        pushes++;
    }

    private void idle(final int s, final long user, final long deadline) {
        close(s);
        idleEvicted++;
    }

    private void close(final int s) {
        abandonAt.cancelSlot(s);
        idleAt.cancelSlot(s);
        book.close(s);
    }

    /** Promotions pushed. */
    public long pushes() {
        return pushes;
    }

    /** {@code carts.maxCarts}. */
    public int maxCarts() {
        return spec.maxCarts();
    }

    /** Adds that would have opened a cart beyond {@code maxCarts}. */
    public long cartsDropped() {
        return cartsDropped;
    }

    /** Skus not kept because their cart had {@code maxItemsPerCart}. */
    public long itemsDropped() {
        return book.itemsDropped();
    }

    /** Carts closed by an order. */
    public long ordersClosing() {
        return ordersClosing;
    }

    /** Carts closed after {@code idleTtl} without an add. */
    public long idleEvicted() {
        return idleEvicted;
    }

    /**
     * Adds that opened no cart because an order of their user stamped at or after them had already
     * come (they arrived late; the last {@code maxCarts} orders are remembered).
     */
    public long addsBeforeOrder() {
        return addsBeforeOrder;
    }

    /** Open carts. */
    public int openCarts() {
        return book.size();
    }

    public long stateHash() {
        long h = ((now * 31 + pushes) * 31 + cartsDropped) * 31 + ordersClosing;
        h = (h * 31 + idleEvicted) * 31 + book.stateHash();
        h = (h * 31 + addsBeforeOrder) * 31 + recentOrders.stateHash();
        return (h * 31 + abandonAt.stateHash()) * 31 + idleAt.stateHash();
    }

    /** An upper bound of the bytes {@link #writeState} writes now, from table sizes. */
    public long stateBytesBound() {
        return 4 + 6 * 8 + book.stateBytesBound() + abandonAt.stateBytesBound() + idleAt.stateBytesBound()
            + recentOrders.stateBytesBound();
    }

    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(now).putLong(pushes).putLong(cartsDropped).putLong(ordersClosing).putLong(idleEvicted);
        book.writeState(w);
        abandonAt.writeState(w);
        idleAt.writeState(w);
        w.putLong(addsBeforeOrder);
        recentOrders.writeState(w);
    }

    public void readState(final StateReader r) {
        r.expect(MARKER, "carts");
        now = r.getLong();
        pushes = r.getLong();
        cartsDropped = r.getLong();
        ordersClosing = r.getLong();
        idleEvicted = r.getLong();
        book.readState(r);
        abandonAt.readState(r, book::find);
        idleAt.readState(r, book::find);
        addsBeforeOrder = r.getLong();
        recentOrders.readState(r);
    }
}
