package io.ringfence.engine.window;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import java.util.ArrayList;
import java.util.List;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.Outcome;

/**
 * The state machine shared by tumbling and sliding windows of one definition: event-time
 * watermark, late detection, keyed per-pane aggregates, release of old panes, eviction and pooling.
 *
 * <pre>
 *  pane ring (size/step + ceil(lateness/step) + 2 slots, slot = floor(start/step) mod slots)
 *   ┌──────────┬──────────┬──────────┬──────────┐
 *   │ [t0,t1)  │ [t1,t2)  │ [t2,t3)  │  (free)  │   each live pane: list of PaneStates,
 *   │ A → B    │ B        │ A → C    │          │   keys in order of first event in the pane
 *   └──────────┴──────────┴──────────┴──────────┘
 *  keys: KeyTable keyHash → KeyEntry (key text, currency, its panes newest first)
 * </pre>
 *
 * Per event of a type the window listens to:
 * <ol>
 *   <li>If its time is the largest seen, the watermark becomes {@code time − lateness}; every
 *       pane with {@code start + size ≤ watermark} is then released, oldest first (a tumbling
 *       window emits its results just before). The pane ring is scanned in time order, never a
 *       hash map, so the order is deterministic.</li>
 *   <li>If the event's pane has closed ({@code paneStart + step ≤ watermark}) it is late: counted,
 *       not merged.</li>
 *   <li>Otherwise each contribution (one per event, or one per item line when the key includes
 *       sku/category) is added to its key's pane state, creating key and pane from the pools.</li>
 * </ol>
 * A key whose last pane is released is evicted at once and its objects go back to the pools, so
 * live keys are exactly those with data in a live pane. A new key that would exceed maxKeys is
 * refused and counted in {@link #keysDropped()}. In a window that {@link WindowSpec#joinsMerchant
 * joins payments to their orders' merchants}, a payment taken in (not late) whose order's merchant
 * is unknown is counted in {@link #unknownMerchants()} (and, keyed by merchant, under no key).
 *
 * <p>Key hash: {@code Ids.hash} of the first key part, folded with {@code Ids.combine(h, Ids.hash(part))}
 * for each further part; in money windows then {@code Ids.combine(h, Ids.hash(currency bytes))};
 * a result of {@link #NO_KEY} (0) is replaced by 1.
 */
abstract class KeyedWindow {
    /** Returned by key hashing when the event has no key for this window. */
    static final long NO_KEY = 0L;

    final WindowSpec spec;
    final long size;
    final long step;
    final long lateness;
    final KeyField[] keyParts;
    final KeyField[] distinctFields;
    final KeyField[] topkFields;
    final int[] topkSizes;
    /** Each topk's Space-Saving counters (4k unless configured). */
    final int[] topkCounters;

    private final PaneInstance[] ring;
    private final RegisterPool registerPool = new RegisterPool();
    private final KeyTable keys;
    private final boolean itemLevelKey;
    private final boolean money;
    private final int maxKeys;
    private final int maxKeyTextLength;
    /** Positions of the {@code count(subset)} counters in each PaneState, -1 when not configured. */
    private final int subsetCount;
    private final int attemptsIndex;
    private final int failedIndex;
    private final int declinedIndex;
    private final int heldIndex;
    private final boolean joinsMerchant;

    private KeyEntry freeKeys;
    private PaneState freePanes;
    private long maxEventTime = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long lateCount;
    private long keysDropped;
    /** Payments taken in whose order's merchant is unknown (only in windows that join merchants). */
    private long unknownMerchants;
    private int liveKeys;
    private int livePanes;
    /** Pane states in live panes (sizes the snapshot bound only; not state: it follows from the panes). */
    private int liveStates;
    /** Bytes of one pane state in a snapshot at most, with estimating distinct sketches counted apart. */
    private final long stateBytesMax;
    private long oldestLive;
    /** Pane start of the last event (saves a long division per event: most events share their predecessor's pane). */
    private long cachedPaneStart;
    private long cachedPaneEnd;
    private int cachedPaneSlot = -1;
    /** Numbers the snapshots written, so a key entry knows whether it is numbered in this one yet. */
    private long snapshotEpoch;

    KeyedWindow(final WindowSpec spec) {
        this.spec = spec;
        this.size = spec.sizeMicros();
        this.step = spec.stepMicros();
        this.lateness = spec.latenessMicros();
        this.keyParts = spec.key().toArray(new KeyField[0]);
        this.itemLevelKey = spec.itemLevelKey();
        this.money = spec.money();
        this.maxKeys = spec.maxKeys();
        this.maxKeyTextLength = spec.maxKeyTextLength();
        int distinct = 0;
        int topk = 0;
        for (final Metric m : spec.metrics()) {
            if (m.fn() == Metric.Fn.DISTINCT) {
                distinct++;
            } else if (m.fn() == Metric.Fn.TOPK) {
                topk++;
            }
        }
        distinctFields = new KeyField[distinct];
        topkFields = new KeyField[topk];
        topkSizes = new int[topk];
        topkCounters = new int[topk];
        distinct = 0;
        topk = 0;
        for (final Metric m : spec.metrics()) {
            if (m.fn() == Metric.Fn.DISTINCT) {
                distinctFields[distinct++] = m.field();
            } else if (m.fn() == Metric.Fn.TOPK) {
                topkFields[topk] = m.field();
                topkCounters[topk] = m.counters();
                topkSizes[topk++] = m.k();
            }
        }
        subsetCount = spec.subsetCount();
        attemptsIndex = spec.subsetIndex(Metric.Subset.ATTEMPTS);
        failedIndex = spec.subsetIndex(Metric.Subset.FAILED);
        declinedIndex = spec.subsetIndex(Metric.Subset.DECLINED);
        heldIndex = spec.subsetIndex(Metric.Subset.HELD);
        joinsMerchant = spec.joinsMerchant();
        ring = new PaneInstance[spec.paneRingSize()];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new PaneInstance();
        }
        keys = new KeyTable(maxKeys);
        long topkBytes = 0;
        for (final int counters : topkCounters) {
            topkBytes += TopKSketch.stateBytesMax(counters);
        }
        stateBytesMax = 8 + 2 * NumericStats.STATE_BYTES + (long) distinctFields.length * DistinctSketch.EXACT_STATE_BYTES_MAX + topkBytes
            + 8L * subsetCount; // count(subset) counters (rate series)
    }

    /**
     * An upper bound of the bytes {@link #writeState} writes now, from counts kept as the window
     * goes (no walk): every live key written in full once, every live pane state at its largest
     * (top-k sketches full, distinct sketches exact-full), plus the HyperLogLog registers in use.
     */
    final long stateBytesBound() {
        final long registersInUse = registerPool.created() - registerPool.available();
        return 4 + 3L * spec.name().length() + 7 * 8 + 2 * 4
            + 12L * livePanes
            + (long) liveKeys * (8 + 4 + maxKeyTextLength + 3)
            + (long) liveStates * (4 + stateBytesMax)
            + registersInUse * DistinctSketch.REGISTERS;
    }

    /**
     * Emits (tumbling) or does nothing (sliding) just before a pane is released; {@code complete}
     * is false for a pane the end of input cut short ({@link #releaseAll}).
     */
    abstract void onRelease(PaneInstance pane, long seq, boolean complete, OutputBuffer out);

    /** The watermark advanced (after the panes it closed were released); nothing by default. */
    void onWatermark(final long watermark, final long seq, final OutputBuffer out) {
    }

    final void onEvent(final InboundEventAdapter e, final long seq, final OutputBuffer out) {
        if (!spec.accepts(e.type())) {
            return;
        }
        final long t = e.time();
        final boolean itemLines = itemLevelKey && e.type() == EventType.ORDER;
        final long keyHash = itemLines ? NO_KEY : hashKey(e, -1);
        if (itemLines ? !anyLineKeyed(e) : keyHash == NO_KEY) {
            // not in this window: no result, no lateTotal, and its time moves no watermark (analyst audit: a late order
            // without a country counted in gmv_by_country's lateTotal, and one ahead made the next keyed events late)
            if (joinsMerchant && e.merchantUnknown() && !isLate(t)) {
                unknownMerchants++; // a payment whose order is not held: counted as of unknown merchant, not under a key
            }
            return;
        }
        if (t > maxEventTime) {
            maxEventTime = t;
            final long wm = t < Long.MIN_VALUE + lateness ? Long.MIN_VALUE : t - lateness;
            if (wm > watermark) {
                watermark = wm;
                releaseUpTo(wm, seq, out);
                onWatermark(wm, seq, out);
            }
        }
        final long paneStart;
        if (t >= cachedPaneStart && t < cachedPaneEnd) {
            paneStart = cachedPaneStart;
        } else {
            paneStart = Math.floorDiv(t, step) * step;
            cachedPaneStart = paneStart;
            cachedPaneEnd = paneStart + step; // overflows only at the very end of time: then never hit
            cachedPaneSlot = slot(paneStart);
        }
        if (watermark != Long.MIN_VALUE && paneStart + step <= watermark) {
            lateCount++;
            return;
        }
        if (joinsMerchant && e.merchantUnknown()) {
            unknownMerchants++; // keyed by something else, with distinct(merchant) or topk(merchant): not added there (review)
        }
        if (itemLines) {
            final int lines = e.itemCount();
            for (int line = 0; line < lines; line++) {
                final long qty = e.itemQty(line);
                contribute(e, line, hashKey(e, line), paneStart, NumericStats.saturatedMultiply(qty, e.itemUnitPrice(line)), qty);
            }
        } else {
            contribute(e, -1, keyHash, paneStart, e.amount(), e.qtyTotal());
        }
    }

    /** Whether an order has an item line with this window's (sku or category) key. */
    private boolean anyLineKeyed(final InboundEventAdapter e) {
        final int lines = e.itemCount();
        for (int line = 0; line < lines; line++) {
            if (hashKey(e, line) != NO_KEY) {
                return true;
            }
        }
        return false;
    }

    /** Whether an event at {@code t} would be late now: its pane ends at or before the watermark. */
    private boolean isLate(final long t) {
        return watermark != Long.MIN_VALUE && Math.floorDiv(t, step) * step + step <= watermark;
    }

    /** True when the window counts decided events ({@code count(declined)}, {@code count(held)}). */
    final boolean countsDecisions() {
        return declinedIndex >= 0 || heldIndex >= 0;
    }

    /**
     * The engine decided the event {@link #onEvent} just applied (an order or a payment): adds it to
     * {@code count(declined)} / {@code count(held)} of every state it contributed to. Nothing for a
     * late event, a refused key or an approval. The event's own pane is still open here: the event
     * closed only panes ending at or before the watermark, which is at or before its time.
     */
    final void onOutcome(final InboundEventAdapter e, final Outcome outcome) {
        final boolean declined = outcome == Outcome.DECLINE;
        if (!(declined || outcome == Outcome.REVIEW) || !spec.accepts(e.type())) {
            return;
        }
        final long paneStart = Math.floorDiv(e.time(), step) * step;
        if (watermark != Long.MIN_VALUE && paneStart + step <= watermark) {
            return; // late: it was not merged
        }
        if (itemLevelKey && e.type() == EventType.ORDER) {
            final int lines = e.itemCount();
            for (int line = 0; line < lines; line++) {
                countOutcome(e, line, paneStart, declined);
            }
        } else {
            countOutcome(e, -1, paneStart, declined);
        }
    }

    private void countOutcome(final InboundEventAdapter e, final int line, final long paneStart, final boolean declined) {
        final long keyHash = hashKey(e, line);
        if (keyHash == NO_KEY) {
            return;
        }
        final KeyEntry entry = keys.get(keyHash);
        if (entry == null) {
            return; // refused at maxKeys
        }
        final PaneState state = entry.newest != null && entry.newest.paneStart == paneStart ? entry.newest : entry.find(paneStart);
        if (state == null) {
            return;
        }
        if (heldIndex >= 0) {
            state.subsets[heldIndex]++;
        }
        if (declined && declinedIndex >= 0) {
            state.subsets[declinedIndex]++;
        }
    }

    /**
     * Releases every live pane, oldest first, and marks everything after as late. Panes ending
     * after the newest event time are released with {@code complete} false: the input ended
     * inside them.
     */
    final void releaseAll(final long seq, final OutputBuffer out) {
        final long newest = maxEventTime;
        watermark = Long.MAX_VALUE;
        maxEventTime = Long.MAX_VALUE;
        while (livePanes > 0) {
            releaseOldest(seq, oldestLive + size <= newest, out);
        }
    }

    /**
     * Key hash of an event for this window (see class comment), or {@link #NO_KEY} when the event
     * type does not feed the window or a key part is absent or empty.
     *
     * @param line item line for sku/category keys of orders, ignored otherwise
     */
    final long keyHash(final InboundEventAdapter e, final int line) {
        if (!spec.accepts(e.type())) {
            return NO_KEY;
        }
        return hashKey(e, line);
    }

    /** {@link #keyHash} of an event the window accepts, from the adapter's per-event id hashes. */
    private long hashKey(final InboundEventAdapter e, final int line) {
        final KeyField[] parts = keyParts;
        int slot = e.slot(parts[0], line);
        if (slot < 0 || e.lengthAt(slot) == 0) {
            return NO_KEY;
        }
        long h = e.hashAt(slot);
        for (int i = 1; i < parts.length; i++) {
            slot = e.slot(parts[i], line);
            if (slot < 0 || e.lengthAt(slot) == 0) {
                return NO_KEY;
            }
            h = Ids.combine(h, e.hashAt(slot));
        }
        if (money) {
            h = Ids.combine(h, e.currencyHash());
        }
        return h == NO_KEY ? 1 : h;
    }

    private void contribute(final InboundEventAdapter e, final int line, final long keyHash, final long paneStart,
                            final long amount, final long qty) {
        if (keyHash == NO_KEY) {
            return;
        }
        KeyEntry entry = keys.get(keyHash);
        if (entry == null) {
            if (liveKeys >= maxKeys) {
                keysDropped++;
                return;
            }
            entry = newEntry(e, line, keyHash);
        }
        PaneState state = entry.newest;
        if (state == null || state.paneStart != paneStart) {
            state = entry.find(paneStart);
            if (state == null) {
                state = newPaneState(entry, paneStart);
            }
        }
        state.count++;
        if (subsetCount != 0 && e.type() == EventType.PAYMENT) {
            if (attemptsIndex >= 0 && e.paymentAttempt()) {
                state.subsets[attemptsIndex]++;
            }
            if (failedIndex >= 0 && e.paymentFailed()) {
                state.subsets[failedIndex]++;
            }
        }
        state.amount.add(amount);
        state.qty.add(qty);
        final KeyField[] distinct = distinctFields;
        for (int i = 0; i < distinct.length; i++) {
            final KeyField f = distinct[i];
            final DistinctSketch sketch = state.distinct[i];
            if (line < 0 && e.perLine(f)) {
                final int lines = e.itemCount();
                for (int l = 0; l < lines; l++) {
                    addDistinct(sketch, e, e.slot(f, l));
                }
            } else {
                addDistinct(sketch, e, e.slot(f, line));
            }
        }
        final KeyField[] topk = topkFields;
        for (int i = 0; i < topk.length; i++) {
            final KeyField f = topk[i];
            final TopKSketch sketch = state.topk[i];
            if (line < 0 && e.perLine(f)) {
                final int lines = e.itemCount();
                for (int l = 0; l < lines; l++) {
                    addTopK(sketch, e, e.slot(f, l));
                }
            } else {
                addTopK(sketch, e, e.slot(f, line));
            }
        }
    }

    private static void addDistinct(final DistinctSketch sketch, final InboundEventAdapter e, final int slot) {
        if (slot >= 0 && e.lengthAt(slot) != 0) {
            sketch.add(e.hashAt(slot));
        }
    }

    private static void addTopK(final TopKSketch sketch, final InboundEventAdapter e, final int slot) {
        if (slot >= 0) {
            final int length = e.lengthAt(slot);
            if (length != 0) {
                sketch.add(e.hashAt(slot), e.bufferAt(slot), e.offsetAt(slot), length, e.word0At(slot), e.word1At(slot));
            }
        }
    }

    private KeyEntry newEntry(final InboundEventAdapter e, final int line, final long keyHash) {
        KeyEntry entry = freeKeys;
        if (entry != null) {
            freeKeys = entry.nextFree;
        } else {
            entry = new KeyEntry(maxKeyTextLength);
        }
        entry.reset(keyHash);
        for (final KeyField part : keyParts) {
            final int slot = e.slot(part, line);
            entry.appendKeyPart(e.bufferAt(slot), e.offsetAt(slot), e.lengthAt(slot));
        }
        if (money) {
            e.buffer().getBytes(e.currencyOffset(), entry.currency, 0, 3);
        }
        keys.put(entry);
        liveKeys++;
        return entry;
    }

    private PaneState newPaneState(final KeyEntry entry, final long paneStart) {
        final PaneInstance pane = ring[paneStart == cachedPaneStart && cachedPaneSlot >= 0 ? cachedPaneSlot : slot(paneStart)];
        if (pane.live) {
            if (pane.start != paneStart) {
                throw new IllegalStateException(spec.name() + ": pane ring overrun at " + paneStart + " (holds " + pane.start + ")");
            }
        } else {
            pane.open(paneStart);
            if (livePanes == 0 || paneStart < oldestLive) {
                oldestLive = paneStart;
            }
            livePanes++;
        }
        PaneState state = freePanes;
        if (state != null) {
            freePanes = state.nextFree;
        } else {
            state = new PaneState(distinctFields.length, topkSizes, topkCounters, subsetCount, registerPool);
        }
        state.reset(paneStart, entry);
        entry.link(state);
        pane.append(state);
        liveStates++;
        return state;
    }

    private void releaseUpTo(final long wm, final long seq, final OutputBuffer out) {
        while (livePanes > 0 && oldestLive + size <= wm) {
            releaseOldest(seq, true, out);
        }
    }

    private void releaseOldest(final long seq, final boolean complete, final OutputBuffer out) {
        final PaneInstance pane = ring[slot(oldestLive)];
        onRelease(pane, seq, complete, out);
        PaneState s = pane.head;
        while (s != null) {
            final PaneState next = s.nextInPane;
            final KeyEntry entry = s.entry;
            entry.unlink(s);
            if (entry.livePanes == 0) {
                keys.remove(entry);
                liveKeys--;
                entry.nextFree = freeKeys;
                freeKeys = entry;
            }
            s.release();
            s.entry = null;
            s.nextInPane = null;
            s.nextFree = freePanes;
            freePanes = s;
            liveStates--;
            s = next;
        }
        pane.close();
        livePanes--;
        if (livePanes > 0) {
            do {
                oldestLive += step;
            } while (!ring[slot(oldestLive)].liveAt(oldestLive));
        }
    }

    final int slot(final long paneStart) {
        return (int) Math.floorMod(Math.floorDiv(paneStart, step), (long) ring.length);
    }

    final KeyEntry entry(final long keyHash) {
        return keys.get(keyHash);
    }

    /** Largest event time seen minus lateness; Long.MIN_VALUE before the first event. */
    final long watermark() {
        return watermark;
    }

    final long lateCount() {
        return lateCount;
    }

    final long keysDropped() {
        return keysDropped;
    }

    final long unknownMerchants() {
        return unknownMerchants;
    }

    final int registerArraysCreated() {
        return registerPool.created();
    }

    final int liveKeys() {
        return liveKeys;
    }

    /** Hash of all live state, visiting panes in time order and keys in first-event order. */
    final long stateHash() {
        long h = Mix.combine(Mix.combine(watermark, maxEventTime), Mix.combine(lateCount, keysDropped));
        h = Mix.combine(h, liveKeys);
        if (joinsMerchant) { // only then: other windows keep their hashes
            h = Mix.combine(h, unknownMerchants);
        }
        long p = oldestLive;
        for (int visited = 0; visited < livePanes; p += step) {
            final PaneInstance pane = ring[slot(p)];
            if (!pane.liveAt(p)) {
                continue;
            }
            visited++;
            h = Mix.combine(h, p);
            for (PaneState s = pane.head; s != null; s = s.nextInPane) {
                h = Mix.combine(h, s.contentHash());
            }
        }
        return h;
    }

    /**
     * Writes the window for a snapshot: clock and counters, then the live panes in time order,
     * each with its keys' states in first-event order (the order results are emitted in); a key
     * is written in full where it first appears and by its number after that.
     */
    final void writeState(final StateWriter w) {
        w.putText(spec.name()).putLong(maxEventTime).putLong(watermark).putLong(lateCount).putLong(keysDropped)
                .putInt(liveKeys).putInt(livePanes).putLong(oldestLive);
        if (joinsMerchant) { // only then: other windows keep their snapshot bytes
            w.putLong(unknownMerchants);
        }
        final long epoch = ++snapshotEpoch;
        int numbered = 0;
        long p = oldestLive;
        for (int visited = 0; visited < livePanes; p += step) {
            final PaneInstance pane = ring[slot(p)];
            if (!pane.liveAt(p)) {
                continue;
            }
            visited++;
            w.putLong(p).putInt(pane.keys);
            for (PaneState s = pane.head; s != null; s = s.nextInPane) {
                final KeyEntry e = s.entry;
                if (e.snapshotEpoch != epoch) {
                    e.snapshotEpoch = epoch;
                    e.snapshotId = numbered++;
                    w.putInt(-1).putLong(e.keyHash).putInt(e.keyLength).putBytes(e.keyText, 0, e.keyLength)
                            .putBytes(e.currency, 0, 3);
                } else {
                    w.putInt(e.snapshotId);
                }
                s.write(w);
            }
        }
    }

    /** Restores what {@link #writeState} wrote into this window, which must not have seen an event. */
    final void readState(final StateReader r) {
        final String name = r.getText();
        if (!name.equals(spec.name())) {
            throw new SnapshotFormatException("expected window " + spec.name() + ", found " + name);
        }
        if (liveKeys != 0 || livePanes != 0) {
            throw new IllegalStateException(spec.name() + ": a snapshot is read into a new window only");
        }
        maxEventTime = r.getLong();
        watermark = r.getLong();
        lateCount = r.getLong();
        keysDropped = r.getLong();
        final int keyCount = r.getInt(spec.name() + " live keys", 0, maxKeys);
        final int paneCount = r.getInt(spec.name() + " live panes", 0, ring.length);
        oldestLive = r.getLong();
        unknownMerchants = joinsMerchant ? r.getLong() : 0;
        final List<KeyEntry> read = new ArrayList<>(keyCount);
        for (int i = 0; i < paneCount; i++) {
            final long start = r.getLong();
            final PaneInstance pane = ring[slot(start)];
            if (pane.live || Math.floorMod(start, step) != 0) {
                throw new SnapshotFormatException(spec.name() + ": pane " + start + " is not a free pane start");
            }
            pane.open(start);
            final int states = r.getInt(spec.name() + " keys of a pane", 0, maxKeys);
            for (int k = 0; k < states; k++) {
                final int id = r.getInt(spec.name() + " key number", -1, read.size() - 1);
                final KeyEntry entry;
                if (id < 0) {
                    entry = new KeyEntry(maxKeyTextLength);
                    entry.reset(r.getLong());
                    entry.keyLength = r.getInt(spec.name() + " key length", 0, maxKeyTextLength);
                    r.getBytes(entry.keyText, 0, entry.keyLength);
                    r.getBytes(entry.currency, 0, 3);
                    if (keys.get(entry.keyHash) != null) {
                        throw new SnapshotFormatException(spec.name() + ": key hash " + entry.keyHash + " twice");
                    }
                    keys.put(entry);
                    read.add(entry);
                } else {
                    entry = read.get(id);
                }
                final PaneState state = new PaneState(distinctFields.length, topkSizes, topkCounters, subsetCount, registerPool);
                state.reset(start, entry);
                state.read(r);
                entry.link(state);
                pane.append(state);
                liveStates++;
            }
        }
        if (read.size() != keyCount) {
            throw new SnapshotFormatException(spec.name() + ": " + read.size() + " keys in the panes, the window says " + keyCount);
        }
        liveKeys = keyCount;
        livePanes = paneCount;
    }

    /** A live pane (or tumbling window) of this definition and its keys in first-event order. */
    static final class PaneInstance {
        long start;
        boolean live;
        PaneState head;
        PaneState tail;
        int keys;

        void open(final long start) {
            this.start = start;
            live = true;
            head = null;
            tail = null;
            keys = 0;
        }

        boolean liveAt(final long start) {
            return live && this.start == start;
        }

        void append(final PaneState state) {
            if (tail == null) {
                head = state;
            } else {
                tail.nextInPane = state;
            }
            tail = state;
            keys++;
        }

        void close() {
            live = false;
            head = null;
            tail = null;
            keys = 0;
        }
    }
}
