package io.ringfence.engine.commerce;

import io.ringfence.engine.model.StockUnits;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.timer.DeadlineQueue;
import io.ringfence.engine.timer.SlotDeadlineHandler;
import io.ringfence.sbe.StockSignal;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Stock per sku and warehouse (docs/orders.md "Inventory"). A sku is tracked from its first
 * {@code inventory} event; per sku it holds up to {@value #WAREHOUSES} warehouse levels (their sum
 * is on hand) and what open orders reserve (across warehouses: orders do not name one).
 * Available = on hand − reserved. When available crosses the sku's low-stock threshold a
 * {@code StockPush} says so: LOW (at or below the threshold, above 0), OUT (0 or less), RESTOCKED
 * (back above the threshold); LEVEL after other inventory events if {@code pushLevels}.
 *
 * <p>Reservations and releases are signalled once per event, after all of them
 * ({@link #flushSignals}): an order of several lines, a cancel releasing them, a forgotten
 * order making room for a new one, each pushes at most one signal per sku, with the level the
 * event left (per line, an order of lines S x2 and S x3 pushed the level between them, and a
 * cancel could push LOW then RESTOCKED at once: an event-time trial).
 *
 * <p>Bounded: at most {@code maxSkus} skus (a new one beyond is counted in {@link #skusDropped()}
 * and not tracked); a sku untouched for {@code idleTtl} of event time is forgotten, unless open orders
 * still reserve it (it is kept until they release it) or a warehouse holds units of it (with orders off, nothing
 * releases a reservation, and the sku is forgotten with its levels as before); a warehouse
 * beyond {@value #WAREHOUSES} per sku is counted in {@link #warehousesDropped()} and its events
 * ignored.
 *
 * <p>A warehouse's LEVEL is a count at its event time: a movement (delta) of that warehouse stamped
 * before its last count is already in it, and a count stamped before an event already applied to
 * it would undo that event, so either is ignored and counted ({@link #staleInventory()}); before, an
 * older count arriving late overwrote a newer one.
 */
final class StockBook implements SlotDeadlineHandler {
    static final int WAREHOUSES = 8;
    private static final int MARKER = 0x53544f4b; // "STOK"
    private static final int OK = 0;
    private static final int LOW = 1;
    private static final int OUT = 2;
    /** Flag in the SIGNAL word: the signal was last set by an inventory event (the feed), not by orders. */
    private static final int BY_FEED = 4;
    /** The signal state in the SIGNAL word. */
    private static final int STATE = 3;
    private static final int ID = CommercePublisher.ID;
    // the words of a sku's level record, read together by reserve, release and signal (one cache line)
    private static final int ON_HAND = 0;
    private static final int RESERVED = 1;
    private static final int LOW_STOCK = 2;
    private static final int SIGNAL = 3;
    private static final int LEVEL_WORDS = 4;

    private final CommerceSpec spec;
    private final CommercePublisher publisher;
    private final Slots slots;
    private final DeadlineQueue idle;
    /** The skus' state by page of {@link Slots#PAGE_SLOTS} slots; a page is null until its first slot is used. */
    private final Page[] pages;
    private long skusDropped;
    private long warehousesDropped;
    private long evicted;
    /** Inventory events stamped before their warehouse's last LEVEL count: already in it, ignored. */
    private long staleInventory;
    /** Slots whose available stock this event's reservations or releases moved, in first-touch order (empty between events). */
    private final int[] touched;
    /** The event time of each touched slot's last change. */
    private final long[] touchedTime;
    /** Whether orders other than shipments moved a touched slot: false while only shipments released it (see {@link #release}). */
    private final boolean[] touchedRestock;
    private int touchedCount;
    /** How many of the idle queue's first entries {@link #makeRoom} looks at (its top four levels). */
    private static final int ROOM_SAMPLE = 16;
    /** A sku without units or reservations: what {@link #makeRoom} may forget. */
    private final java.util.function.IntPredicate holdsNothing = slot ->
            page(slot).level[Slots.at(slot) * LEVEL_WORDS + RESERVED] <= 0 && !unitsInAWarehouse(slot);
    /** The watermark {@link #advance} drains to (for {@link #onDeadline}). */
    private long advancing;

    StockBook(final CommerceSpec spec, final CommercePublisher publisher) {
        this.spec = spec;
        this.publisher = publisher;
        this.slots = new Slots(spec.maxSkus);
        this.idle = DeadlineQueue.forSlots(spec.maxSkus);
        this.pages = new Page[Slots.pages(spec.maxSkus)];
        this.touched = new int[spec.maxSkus];
        this.touchedTime = new long[spec.maxSkus];
        this.touchedRestock = new boolean[spec.maxSkus];
    }

    /** The state of {@value Slots#PAGE_SLOTS} skus, allocated once and never copied. */
    private static final class Page {
        /** Per sku: on hand, reserved, low-stock threshold, signal ({@code LEVEL_WORDS} longs). */
        final long[] level = new long[Slots.PAGE_SLOTS * LEVEL_WORDS];
        final byte[] skuIds = new byte[Slots.PAGE_SLOTS * ID];
        final byte[] warehouseCount = new byte[Slots.PAGE_SLOTS];
        final long[] warehouseKeys = new long[Slots.PAGE_SLOTS * WAREHOUSES];
        final long[] warehouseLevels = new long[Slots.PAGE_SLOTS * WAREHOUSES];
        /** Per warehouse: the event time of its last LEVEL count ({@code Long.MIN_VALUE} before one). */
        final long[] warehouseCounted = new long[Slots.PAGE_SLOTS * WAREHOUSES];
        /** Per warehouse: the latest event time of an inventory event applied to it, count or movement. */
        final long[] warehouseMoved = new long[Slots.PAGE_SLOTS * WAREHOUSES];
        /** Per sku: 1 + its index in {@code touched} during an event, else 0 (not snapshotted: empty between events). */
        final int[] touchedAt = new int[Slots.PAGE_SLOTS];
    }

    private Page page(final int slot) {
        return pages[Slots.page(slot)];
    }

    private Page pageFor(final int slot) {
        Page p = pages[Slots.page(slot)];
        if (p == null) {
            p = new Page();
            pages[Slots.page(slot)] = p;
        }
        return p;
    }

    /** Forgets skus idle before {@code watermark}: an event exactly at a sku's idleTtl still finds it (as for orders). */
    void advance(final long watermark) {
        advancing = watermark;
        idle.drainDueSlots(watermark - 1, this);
    }

    @Override
    public void onDeadline(final int slot, final long key, final long deadline) {
        final long reserved = page(slot).level[Slots.at(slot) * LEVEL_WORDS + RESERVED];
        if (spec.ordersEnabled && (reserved > 0 || unitsInAWarehouse(slot)) || reserved <= 0 && toldShort(slot)) {
            // units in a warehouse are the shop's stock, not idle state: forgotten, a stocked sku that sold nothing for
            // idleTtl took its next order untracked (no OVERSELL) and its next delta from 0 (a false OUT; shop pushes
            // trial); only counts and moves that leave no warehouse with units let it go, and maxSkus bounds what is kept.
            // (with orders off nothing ever releases a reservation: the sku is forgotten with them, as before)
            // open orders still reserve it: forgetting it would drop their reservations (a later count would then show
            // their units as free); it waits until the orders are shipped, cancelled or forgotten
            // a sku its subscribers were last told LOW or OUT is kept too: forgotten, a sold-out sku idle for idleTtl took
            // its next order untracked (no OVERSELL) and its restock pushed nothing (a new sku starts OK), leaving them on
            // OUT for ever (inventory trial, HIGH); such skus make room for new ones when the table is full (makeRoom)
            idle.scheduleSlot(slot, key, advancing + spec.skuIdleTtl);
            return;
        }
        slots.remove(slot);
        evicted++;
    }

    /** Whether the sku's subscribers were last told it is short (its signal LOW or OUT, not OK). */
    private boolean toldShort(final int slot) {
        return ((int) page(slot).level[Slots.at(slot) * LEVEL_WORDS + SIGNAL] & STATE) != OK;
    }

    /**
     * A full table takes a new sku in the place of the one idle longest, of the {@link #ROOM_SAMPLE} first in the idle
     * queue, that holds no units and no reservation: a sold-out sku kept for its signal, not the shop's stock. False:
     * none of them may go (the new sku is not tracked, as before).
     */
    private boolean makeRoom() {
        final int oldest = idle.earliestSlotAmong(ROOM_SAMPLE, holdsNothing);
        if (oldest < 0) {
            return false;
        }
        idle.cancelSlot(oldest);
        slots.remove(oldest);
        evicted++;
        return true;
    }

    /** Whether a warehouse of the sku in {@code slot} holds units (a level above 0; a sum of 5 and -5 is still stock). */
    private boolean unitsInAWarehouse(final int slot) {
        final Page p = page(slot);
        final int at = Slots.at(slot);
        for (int w = 0; w < p.warehouseCount[at]; w++) {
            if (p.warehouseLevels[at * WAREHOUSES + w] > 0) {
                return true;
            }
        }
        return false;
    }

    /** An inventory event: sets or moves one warehouse's level, pushes a threshold crossing. */
    void onInventory(final long seq, final long eventTime, final long watermark, final long skuHash, final DirectBuffer in,
                     final int skuAt, final long warehouseHash, final int warehouseAt, final boolean level, final long quantity,
                     final OutputBuffer out) {
        int slot = slots.find(skuHash);
        if (slot == Slots.NONE) {
            slot = slots.add(skuHash);
            if (slot == Slots.NONE && makeRoom()) {
                slot = slots.add(skuHash);
            }
            if (slot == Slots.NONE) {
                skusDropped++;
                return;
            }
            final Page p = pageFor(slot);
            final int at = Slots.at(slot);
            in.getBytes(skuAt, p.skuIds, at * ID, ID);
            p.level[at * LEVEL_WORDS + ON_HAND] = 0;
            p.level[at * LEVEL_WORDS + RESERVED] = 0;
            p.level[at * LEVEL_WORDS + LOW_STOCK] = spec.lowStockOf(skuHash);
            p.level[at * LEVEL_WORDS + SIGNAL] = OK;
            p.warehouseCount[at] = 0;
        }
        idle.scheduleSlot(slot, skuHash, watermark + spec.skuIdleTtl);
        final Page p = page(slot);
        final int at = Slots.at(slot);
        final int base = at * WAREHOUSES;
        final int n = p.warehouseCount[at];
        int w = 0;
        while (w < n && p.warehouseKeys[base + w] != warehouseHash) {
            w++;
        }
        if (w == n) {
            if (n == WAREHOUSES) {
                warehousesDropped++;
                return;
            }
            p.warehouseKeys[base + w] = warehouseHash;
            p.warehouseLevels[base + w] = 0;
            p.warehouseCounted[base + w] = Long.MIN_VALUE;
            p.warehouseMoved[base + w] = Long.MIN_VALUE;
            p.warehouseCount[at] = (byte) (n + 1);
        }
        if (eventTime < (level ? p.warehouseMoved[base + w] : p.warehouseCounted[base + w])) {
            // a movement stamped before the last count is in it; a count stamped before an event already applied
            // would undo that event (a late count of 9 at 10:03 after a delta of -6 at 10:05 made 9 of 4)
            staleInventory++;
            return;
        }
        if (level) {
            p.warehouseCounted[base + w] = eventTime;
        }
        p.warehouseMoved[base + w] = Math.max(p.warehouseMoved[base + w], eventTime);
        // bounded (StockUnits), and on hand the sum of the warehouses: no sum here overflows, whatever a journal or a
        // snapshot of an earlier build holds
        final long before = StockUnits.clamp(p.warehouseLevels[base + w]);
        p.warehouseLevels[base + w] = StockUnits.clamp(level ? quantity : before + StockUnits.clamp(quantity));
        long onHand = 0;
        for (int i = 0; i < p.warehouseCount[at]; i++) {
            onHand += StockUnits.clamp(p.warehouseLevels[base + i]);
        }
        final int l = at * LEVEL_WORDS;
        p.level[l + ON_HAND] = onHand;
        if (!signal(seq, eventTime, slot, in, warehouseAt, true, true, out) && spec.pushLevels) {
            publisher.stock(seq, eventTime, p.skuIds, at * ID, in, warehouseAt, available(slot), StockSignal.LEVEL, out);
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
        page(slot).level[Slots.at(slot) * LEVEL_WORDS + RESERVED] += qty;
        idle.scheduleSlot(slot, skuHash, watermark + spec.skuIdleTtl);
        touch(slot, eventTime, true);
        return oversell ? 1 : 0;
    }

    /**
     * True if reserving the order's lines as {@link OrderBook} does (positive quantities of tracked
     * skus, the first {@link OrderBook#MAX_LINES} of them) would ask for more of a sku than is
     * available, counting earlier lines of the same order. Changes nothing.
     */
    boolean wouldOversell(final OrderLines lines, final ReleaseCredit credit) {
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
            // earlier lines of the same sku: all tracked (this one is) and all held (fewer than MAX_LINES before this one)
            long earlier = 0;
            for (int j = 0; j < i; j++) {
                final int q = lines.qty(j);
                if (q > 0 && lines.sku(j) == sku) {
                    earlier += q;
                }
            }
            if (qty > available(slot, credit.of(sku)) - earlier) {
                return true;
            }
            held++;
        }
        return false;
    }

    /**
     * Gives back a reservation (the order was shipped, cancelled, refunded before shipping, or forgotten).
     *
     * @param signal false for a shipment: the units left the warehouse and the stock feed's decrement
     *               follows, so its release moves a signal only when the feed set it (the decrement came
     *               first and counted the shipped units twice); else any crossing is pushed
     */
    void release(final long seq, final long eventTime, final long watermark, final long skuHash, final int qty,
                 final boolean signal, final OutputBuffer out) {
        final int slot = slots.find(skuHash);
        if (slot == Slots.NONE) {
            return;
        }
        final long[] level = page(slot).level;
        final int l = Slots.at(slot) * LEVEL_WORDS + RESERVED;
        level[l] = Math.max(0, level[l] - qty);
        idle.scheduleSlot(slot, skuHash, watermark + spec.skuIdleTtl);
        if (out != null) {
            touch(slot, eventTime, signal);
        }
    }

    /** Marks a slot for {@link #flushSignals} at the end of the event; {@code restock}: may push RESTOCKED. */
    private void touch(final int slot, final long eventTime, final boolean restock) {
        final Page p = page(slot);
        final int at = Slots.at(slot);
        int index = p.touchedAt[at] - 1;
        if (index < 0) {
            index = touchedCount++;
            touched[index] = slot;
            p.touchedAt[at] = index + 1;
            touchedRestock[index] = restock;
        } else {
            touchedRestock[index] |= restock;
        }
        touchedTime[index] = eventTime;
    }

    /**
     * At the start of an event: forgets skus touched by an event that failed before its
     * {@link #flushSignals} (the business handler goes on after a failed event, and a snapshot
     * does not hold this per-event list, so a signal left over would be pushed by an engine that
     * never stopped and not by one restored at that event). Nothing to do after a normal event.
     */
    void begin() {
        for (int i = 0; i < touchedCount; i++) {
            final Page p = page(touched[i]);
            if (p != null) {
                p.touchedAt[Slots.at(touched[i])] = 0;
            }
        }
        touchedCount = 0;
    }

    /**
     * At the end of an event: pushes, once per sku its reservations or releases moved, a threshold
     * crossing with the level the event left, in the order the skus were first touched.
     */
    void flushSignals(final long seq, final OutputBuffer out) {
        for (int i = 0; i < touchedCount; i++) {
            final int slot = touched[i];
            final Page p = page(slot);
            if (p == null) {
                continue;
            }
            p.touchedAt[Slots.at(slot)] = 0;
            if (slots.live(slot)) {
                signal(seq, touchedTime[i], slot, null, -1, false, touchedRestock[i], out);
            }
        }
        touchedCount = 0;
    }

    private long available(final int slot) {
        final long[] level = page(slot).level;
        final int l = Slots.at(slot) * LEVEL_WORDS;
        return level[l + ON_HAND] - level[l + RESERVED];
    }

    /** Available once {@code released} units are given back as {@link #release} gives them (reserved never below 0). */
    private long available(final int slot, final long released) {
        if (released == 0) {
            return available(slot);
        }
        final long[] level = page(slot).level;
        final int l = Slots.at(slot) * LEVEL_WORDS;
        return level[l + ON_HAND] - Math.max(0, level[l + RESERVED] - released);
    }

    /** Pushes the signal if available crossed a threshold; true if it pushed. */
    /**
     * Pushes a crossing of the sku's threshold by its available stock, if any.
     *
     * @param fromFeed an inventory event moved it
     * @param byOrders reservations or releases other than shipments moved it (false: only shipments did)
     */
    private boolean signal(final long seq, final long eventTime, final int slot, final DirectBuffer in, final int warehouseAt,
                           final boolean fromFeed, final boolean byOrders, final OutputBuffer out) {
        final Page p = page(slot);
        final int at = Slots.at(slot);
        final int l = at * LEVEL_WORDS;
        final long available = p.level[l + ON_HAND] - p.level[l + RESERVED];
        final int now = available <= 0 ? OUT : available <= p.level[l + LOW_STOCK] ? LOW : OK;
        final int word = (int) p.level[l + SIGNAL];
        final int was = word & STATE;
        if (now == was) {
            return false;
        }
        if (!byOrders && !fromFeed && (word & BY_FEED) == 0) {
            // a shipment alone moves a signal only when the feed set it: a decrement that came before the shipment
            // counted the shipped units twice (OUT at -2, then 4 free once shipped); a signal set by reservations stays
            // until the feed reports the shipment (it flapped LOW, RESTOCKED, LOW at every shipment)
            return false;
        }
        p.level[l + SIGNAL] = fromFeed ? now | BY_FEED : now;
        final StockSignal pushed = now == OUT ? StockSignal.OUT : now == LOW ? StockSignal.LOW : StockSignal.RESTOCKED;
        publisher.stock(seq, eventTime, p.skuIds, at * ID, in, warehouseAt, available, pushed, out);
        return true;
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

    long staleInventory() {
        return staleInventory;
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
            final Page p = page(i);
            final int at = Slots.at(i);
            final int l = at * LEVEL_WORDS;
            h = h * 31 + i;
            h = h * 31 + p.level[l + ON_HAND];
            h = h * 31 + p.level[l + RESERVED];
            h = h * 31 + p.level[l + LOW_STOCK];
            h = h * 31 + (byte) p.level[l + SIGNAL]; // the state and BY_FEED
            for (int w = 0; w < p.warehouseCount[at]; w++) {
                h = h * 31 + p.warehouseKeys[at * WAREHOUSES + w];
                h = h * 31 + p.warehouseLevels[at * WAREHOUSES + w];
                h = h * 31 + p.warehouseCounted[at * WAREHOUSES + w];
                h = h * 31 + p.warehouseMoved[at * WAREHOUSES + w];
            }
            for (int b = at * ID; b < at * ID + ID; b++) {
                h = h * 31 + p.skuIds[b];
            }
        }
        h = h * 31 + skusDropped;
        h = h * 31 + warehousesDropped;
        h = h * 31 + evicted;
        h = h * 31 + staleInventory;
        return h * 31 + idle.stateHash();
    }

    /** Bytes {@link #writeState} writes now (sizes only, no walk). */
    long stateBytesBound() {
        final long used = slots.used();
        return 4 + slots.stateBytesBound() + used * (ID + 3 * 8 + 2 + WAREHOUSES * 32L) + 4 * 8 + idle.stateBytesBound();
    }

    void writeState(final StateWriter w) {
        w.putInt(MARKER);
        slots.write(w);
        // field by field over every used slot (the layout of the arrays this book kept before pages)
        final int used = slots.used();
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putBytes(page(i).skuIds, 0, pageUsed(i, used) * ID);
        }
        for (int word = ON_HAND; word <= LOW_STOCK; word++) {
            for (int i = 0; i < used; i++) {
                w.putLong(page(i).level[Slots.at(i) * LEVEL_WORDS + word]);
            }
        }
        for (int i = 0; i < used; i++) {
            w.putByte((byte) page(i).level[Slots.at(i) * LEVEL_WORDS + SIGNAL]);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putBytes(page(i).warehouseCount, 0, pageUsed(i, used));
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).warehouseKeys, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).warehouseLevels, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).warehouseCounted, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            w.putLongs(page(i).warehouseMoved, 0, pageUsed(i, used) * WAREHOUSES);
        }
        w.putLong(skusDropped).putLong(warehousesDropped).putLong(evicted).putLong(staleInventory);
        idle.writeState(w);
    }

    /** Slots below {@code used} in the page that starts at slot {@code first}. */
    private static int pageUsed(final int first, final int used) {
        return Math.min(Slots.PAGE_SLOTS, used - first);
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "inventory");
        slots.read(r, "inventory");
        final int used = slots.used();
        Arrays.fill(pages, null);
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            pageFor(i);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getBytes(page(i).skuIds, 0, pageUsed(i, used) * ID);
        }
        for (int word = ON_HAND; word <= LOW_STOCK; word++) {
            for (int i = 0; i < used; i++) {
                page(i).level[Slots.at(i) * LEVEL_WORDS + word] = r.getLong();
            }
        }
        for (int i = 0; i < used; i++) {
            page(i).level[Slots.at(i) * LEVEL_WORDS + SIGNAL] = r.getByte();
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getBytes(page(i).warehouseCount, 0, pageUsed(i, used));
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).warehouseKeys, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).warehouseLevels, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).warehouseCounted, 0, pageUsed(i, used) * WAREHOUSES);
        }
        for (int i = 0; i < used; i += Slots.PAGE_SLOTS) {
            r.getLongs(page(i).warehouseMoved, 0, pageUsed(i, used) * WAREHOUSES);
        }
        skusDropped = r.getLong();
        warehousesDropped = r.getLong();
        evicted = r.getLong();
        staleInventory = r.getLong();
        idle.readState(r, slots::find);
    }
}
