package io.ringfence.engine.trending;

import io.ringfence.engine.model.Ids;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * One trending list kind (views or sales): exact occurrence counts per (category, sku) over a
 * sliding event-time window of {@code panes} panes of {@code step}, and per category the top k
 * skus, pushed when they change, at most once per {@code minInterval} per category.
 *
 * <p>Window: pane {@code p} holds the events with {@code floor(time / step) = p}; the window is
 * the {@code panes} panes ending with the pane of the newest event time seen (so it covers
 * between {@code size - step} and {@code size} of history). An event whose pane has already
 * left the window is counted as late and not added. When the newest pane moves on, the expired
 * panes are subtracted from every counter; a (category, sku) whose count reaches 0 is evicted,
 * and so is a category with no skus left: state is bounded by what happened inside the window.
 *
 * <p>Bounds: at most {@code maxCategories} live categories and {@code maxSkusPerCategory} live
 * skus per category. An event for a new category beyond is dropped and counted
 * ({@link #droppedCategories()}). A new sku of a full category is admitted when its recent sales
 * without a place ({@link AdmissionSketch}, TinyLFU's filter; this sale included) exceed the
 * estimate of the live sku with the smallest one, else its sale is not counted
 * ({@link #refusedSkus()}): a one-off sale does not push out a sku that sells. Admitted, it takes
 * that sku's place (Space-Saving, Metwally et al. 2005, on panes; counted in
 * {@link #replacedSkus()}): it inherits that sku's pane counts as its estimate's error, and the
 * inherited counts leave the window with their panes. The estimates add up to at most the
 * category's sales in the window, so a sku that has sold more than that divided by
 * {@code maxSkusPerCategory} since it got its place is never the one replaced, and a new hot sku
 * gets in however long the tail (what a sku sold before it last lost its place stays with
 * whoever inherited it: on a sliding window Space-Saving's bound holds for a sku's own counts,
 * not for all its sales in the window) (refusing new skus kept the first
 * {@code maxSkusPerCategory} seen for as long as each sold once a window). Lists rank and show
 * the counts a sku has itself (exact since it got its place, never the inherited error); the
 * estimate (own plus inherited) chooses whom to replace, the least (ties by the sku's hash: the
 * choice is unique, so a restored board chooses the same), and is the bar a newcomer's recent
 * sales must pass. Counter arrays start small and
 * double up to {@code maxCategories * maxSkusPerCategory}, so memory follows the working set and
 * allocation happens only at a new high.
 *
 * <p>Pushes: a category whose counts changed since it was last examined (an add, or panes that
 * left the window) is <em>dirty</em>. After an event has added all it adds (every line of an
 * order), each category it counted in whose next check time has come ({@code now >= nextCheck})
 * is examined, in the order first counted; then every other dirty category whose check time has
 * come, by check time, then slot ({@link #due}). Examining computes the top k (occurrences
 * descending, ties by sku bytes ascending, unsigned) and compares it with the last pushed list by
 * sku and rank; if it differs it is pushed. Either way the category is clean and its next check is
 * {@code now + minInterval}. So a category gets at most one push per {@code minInterval} while it
 * has skus in the window, and a change that comes sooner is pushed at the first event of any kind
 * once the interval is over (audit: it waited for the category's next sale or view, for ever if
 * none came). A category whose skus all left the window is pushed once as an empty list, if a list
 * was pushed, and only then forgotten (a new sale starts it afresh, pushed at once); on a full
 * board such categories are pushed and forgotten at once to make room for a new one.
 *
 * <p>Deterministic: slots are assigned and reused in an order that depends on the event
 * sequence alone, and only slot order is ever walked (expiry, state hash, snapshots); the
 * Agrona index maps are lookups only and are rebuilt on restore.
 */
final class TrendBoard {
    private static final int ID = TrendingPushWriter.ID;
    private static final int NONE = -1;
    private static final int INITIAL = 1_024;

    private final byte[] window;
    private final long step;
    private final int panes;
    private final int k;
    private final long minInterval;
    private final int maxCategories;
    private final int maxSkusPerCategory;
    private final int maxEntries;

    // categories: fixed capacity (maxCategories), free slots have catLength -1
    private final Long2LongHashMap catIndex;
    private final long[] catHash;
    private final byte[] catBytes;
    private final int[] catLength;
    private final int[] head;
    private final int[] skuCount;
    private final long[] nextCheck;
    /** 1 while the category's counts changed since it was last examined (state: snapshots, hash). */
    private final byte[] dirty;
    /** Where the current event's pushes go ({@link #begin}); transient, set before every event's adds. */
    private long eventSeq;
    private TrendingPushWriter eventWriter;
    private OutputBuffer eventOut;
    /** The dirty categories by (nextCheck, slot); transient, rebuilt from {@link #dirty} on restore. */
    private final DueCategories pending;
    private final int[] shownLength;
    private final long[] shownSkus;
    private final int[] catFree;
    private int catFreeCount;
    private int catUsed;
    private int catSize;
    /** The category slot of the last add (lines of an order, views of a sku often repeat it); checked before use. */
    private int lastCat = NONE;

    // (category, sku) entries: grow to maxEntries, free slots have entryCat -1
    private final Long2LongHashMap entryIndex;
    private long[] entryKey = new long[0];
    private long[] skuHash = new long[0];
    private byte[] skuBytes = new byte[0];
    private int[] entryCat = new int[0];
    private int[] next = new int[0];
    private int[] prev = new int[0];
    private long[] total = new long[0];
    private long[] paneCounts = new long[0];
    private int[] entryFree = new int[0];
    private int entryFreeCount;
    private int entryUsed;
    private int entryCapacity;
    private int entrySize;

    private long currentPane = Long.MIN_VALUE;
    private long now = Long.MIN_VALUE;
    private long late;
    private long droppedCategories;
    private long replacedSkus;
    private long refusedSkus;
    private long pushes;
    /** Recent sales of skus without a place in their full category: who may replace; made when a category first fills. */
    private AdmissionSketch admission;

    /** Per entry: pane counts inherited from the sku it replaced (the estimate's error), and their sum. */
    private long[] inheritedPanes = new long[0];
    private long[] inherited = new long[0];
    /**
     * Per full category, a min-heap of its entries by estimate (total + inherited; ties by slot),
     * kept only while {@link #heapValid}: made when a new sku meets a full category, kept up by the
     * adds to it, dropped by anything else that moves its counts (pane expiry, a new or removed
     * entry). Transient: the least entry is unique, so a heap made afresh chooses the same one.
     */
    private final int[][] heap;
    private final boolean[] heapValid;
    private int[] heapPos = new int[0];

    private final int[] top;
    private int topLength;
    /** Categories counted in since the last {@link #flush}, each once: {@link #touchedIn} holds the {@link #round} it was. */
    private final int[] touched;
    private final long[] touchedIn;
    private int touchedCount;
    /** Counts flushes from 1 (transient: no category is touched between events). */
    private long round = 1;

    TrendBoard(final String windowName, final TrendingSpec spec) {
        this.window = TrendingPushWriter.windowName(windowName);
        this.step = spec.stepMicros();
        this.panes = spec.panes();
        this.k = spec.k();
        this.minInterval = spec.minIntervalMicros();
        this.maxCategories = spec.maxCategories();
        this.maxSkusPerCategory = spec.maxSkusPerCategory();
        this.maxEntries = spec.maxCategories() * spec.maxSkusPerCategory();
        final int c = maxCategories;
        catIndex = new Long2LongHashMap(Math.max(16, Math.min(c, INITIAL) * 2), 0.6f, NONE);
        catHash = new long[c];
        catBytes = new byte[c * ID];
        catLength = new int[c];
        Arrays.fill(catLength, NONE);
        head = new int[c];
        skuCount = new int[c];
        nextCheck = new long[c];
        dirty = new byte[c];
        pending = new DueCategories(nextCheck);
        shownLength = new int[c];
        shownSkus = new long[c * k];
        catFree = new int[c];
        entryIndex = new Long2LongHashMap(Math.min(maxEntries, INITIAL) * 2, 0.6f, NONE);
        top = new int[k];
        heap = new int[c][];
        heapValid = new boolean[c];
        touched = new int[c];
        touchedIn = new long[c];
    }

    /**
     * Adds {@code amount} (positive) occurrences of a sku in a category at event time {@code time};
     * the category is checked for a push by {@link #flush} once the whole event is counted (an
     * order's lines all count before its categories' lists are computed). The clock must have been
     * moved to at least {@code time} by {@link #advanceTo}.
     *
     * @param cHash    {@code Ids.hash} of the category field
     * @param category the category's id bytes (NUL padded field of {@code catMax} bytes) at {@code catAt}
     * @param sHash    {@code Ids.hash} of the sku field
     * @param sku      the sku's id bytes (NUL padded field of {@code skuMax} bytes) at {@code skuAt}
     */
    void add(final long time, final long cHash, final DirectBuffer category, final int catAt, final int catMax,
             final long sHash, final DirectBuffer sku, final int skuAt, final int skuMax, final long amount) {
        final long pane = Math.floorDiv(time, step);
        if (pane <= currentPane - panes) {
            late++;
            return;
        }
        int c = lastCat;
        if (c == NONE || catHash[c] != cHash || catLength[c] == NONE) {
            c = (int) catIndex.get(cHash);
        }
        if (c == NONE) {
            if (catSize == maxCategories && !pushEmptied()) {
                droppedCategories++;
                return;
            }
            c = newCategory(cHash, category, catAt, catMax);
        }
        final long key = Ids.combine(cHash, sHash);
        int e = (int) entryIndex.get(key);
        if (e == NONE) {
            if (skuCount[c] == maxSkusPerCategory) {
                e = admit(c, key, amount);
                if (e == NONE) {
                    refusedSkus++;
                    return;
                }
                replace(e, key, sHash, sku, skuAt, skuMax);
            } else {
                e = newEntry(key, c, sHash, sku, skuAt, skuMax);
            }
        }
        lastCat = c;
        paneCounts[e * panes + (int) Math.floorMod(pane, (long) panes)] += amount;
        total[e] += amount;
        if (heapValid[c]) {
            siftDown(c, heapPos[e]); // its estimate grew
        }
        if (touchedIn[c] != round) {
            touchedIn[c] = round;
            touched[touchedCount++] = c;
        }
        markDirty(c);
    }

    /**
     * Before an event's {@link #add}s: forgets categories an event that failed part-way left touched, and keeps where
     * this event's pushes go, for an add that must make room ({@link #pushEmptied}).
     */
    void begin(final long seq, final TrendingPushWriter writer, final OutputBuffer out) {
        if (touchedCount > 0) {
            touchedCount = 0;
            round++;
        }
        eventSeq = seq;
        eventWriter = writer;
        eventOut = out;
    }

    /**
     * A new category met a full board: the categories kept only until their empty list is pushed (their skus all left
     * the window) are pushed now, in slot order, and forgotten, making room (review: they counted against
     * {@code maxCategories} until their check was due, and a new category's sale was dropped meanwhile).
     *
     * @return true when there is room now
     */
    private boolean pushEmptied() {
        for (int c = 0; c < catUsed && eventWriter != null; c++) {
            if (catLength[c] != NONE && skuCount[c] == 0) {
                check(c, eventSeq, eventWriter, eventOut);
            }
        }
        return catSize < maxCategories;
    }

    /**
     * After an event's {@link #add}s: pushes the list of each category they counted in, in the order
     * first counted, if its check is due ({@code now >= nextCheck}) and the list changed.
     */
    void flush(final long seq, final TrendingPushWriter writer, final OutputBuffer out) {
        for (int i = 0; i < touchedCount; i++) {
            final int c = touched[i];
            if (now >= nextCheck[c]) {
                check(c, seq, writer, out);
            }
        }
        touchedCount = 0;
        round++;
    }

    /**
     * After an event (any kind, once its adds are flushed): examines every dirty category whose
     * check time has come, by check time, then slot, and pushes the lists that changed.
     */
    void due(final long seq, final TrendingPushWriter writer, final OutputBuffer out) {
        while (pending.dueAt(now)) {
            check(pending.first(), seq, writer, out);
        }
    }

    private void check(final int c, final long seq, final TrendingPushWriter writer, final OutputBuffer out) {
        if (dirty[c] != 0) {
            dirty[c] = 0;
            pending.remove(c);
        }
        nextCheck[c] = now > Long.MAX_VALUE - minInterval ? Long.MAX_VALUE : now + minInterval;
        computeTop(c);
        final int shownAt = c * k;
        boolean same = shownLength[c] == topLength;
        for (int i = 0; same && i < topLength; i++) {
            same = shownSkus[shownAt + i] == skuHash[top[i]];
        }
        if (!same) {
            writer.begin(out, seq, now, window, catBytes, c * ID, null, 0, topLength);
            for (int i = 0; i < topLength; i++) {
                final int e = top[i];
                writer.item(skuBytes, e * ID, total[e]);
                shownSkus[shownAt + i] = skuHash[e];
            }
            writer.commit();
            shownLength[c] = topLength;
            pushes++;
        }
        if (skuCount[c] == 0) {
            freeCategory(c); // its skus all left the window, and its empty list is pushed now
        }
    }

    private void markDirty(final int c) {
        if (dirty[c] == 0) {
            dirty[c] = 1;
            pending.add(c);
        }
    }

    /** The category's top k into {@link #top}: occurrences descending, ties by sku bytes ascending. */
    private void computeTop(final int c) {
        topLength = 0;
        for (int e = head[c]; e != NONE; e = next[e]) {
            if (total[e] <= 0) {
                continue;
            }
            if (topLength == k && !before(e, top[k - 1])) {
                continue;
            }
            int i = topLength < k ? topLength++ : k - 1;
            while (i > 0 && before(e, top[i - 1])) {
                top[i] = top[i - 1];
                i--;
            }
            top[i] = e;
        }
    }

    private boolean before(final int a, final int b) {
        if (total[a] != total[b]) {
            return total[a] > total[b];
        }
        final int at = a * ID;
        final int bt = b * ID;
        for (int i = 0; i < ID; i++) {
            final int x = skuBytes[at + i] & 0xff;
            final int y = skuBytes[bt + i] & 0xff;
            if (x != y) {
                return x < y;
            }
        }
        return false;
    }

    /**
     * Moves the clock to {@code time} (the newest event time of the stage) if later, expiring the
     * panes that leave the window. Called for every event, before {@link #add}.
     */
    void advanceTo(final long time) {
        if (time <= now) {
            return;
        }
        now = time;
        final long pane = Math.floorDiv(time, step);
        if (pane <= currentPane) {
            return;
        }
        if (currentPane != Long.MIN_VALUE && entrySize > 0) {
            final long expiring = Math.min(pane - currentPane, panes);
            for (int e = 0; e < entryUsed; e++) {
                if (entryCat[e] == NONE) {
                    continue;
                }
                final int base = e * panes;
                for (long q = 1; q <= expiring; q++) {
                    final int slot = base + (int) Math.floorMod(currentPane + q, (long) panes);
                    final long n = paneCounts[slot];
                    if (n != 0) {
                        total[e] -= n;
                        paneCounts[slot] = 0;
                        markDirty(entryCat[e]); // its list may change as the window slides
                    }
                    final long i = inheritedPanes[slot];
                    if (i != 0) {
                        inherited[e] -= i;
                        inheritedPanes[slot] = 0;
                    }
                }
                if (total[e] == 0) {
                    removeEntry(e); // its own counts are gone: an inherited error alone keeps no place
                }
            }
            Arrays.fill(heapValid, false);
        }
        currentPane = pane;
    }

    private int newCategory(final long hash, final DirectBuffer bytes, final int at, final int max) {
        final int c = catFreeCount > 0 ? catFree[--catFreeCount] : catUsed++;
        catHash[c] = hash;
        final int length = Ids.length(bytes, at, Math.min(max, ID));
        Arrays.fill(catBytes, c * ID, (c + 1) * ID, (byte) 0);
        bytes.getBytes(at, catBytes, c * ID, length);
        catLength[c] = length;
        head[c] = NONE;
        skuCount[c] = 0;
        nextCheck[c] = Long.MIN_VALUE;
        dirty[c] = 0;
        shownLength[c] = 0;
        catIndex.put(hash, c);
        catSize++;
        return c;
    }

    private int newEntry(final long key, final int c, final long sHash, final DirectBuffer bytes, final int at, final int max) {
        final int e;
        if (entryFreeCount > 0) {
            e = entryFree[--entryFreeCount];
        } else {
            if (entryUsed == entryCapacity) {
                grow((int) Math.min(maxEntries, Math.max(INITIAL, (long) entryCapacity * 2)));
            }
            e = entryUsed++;
        }
        entryKey[e] = key;
        skuHash[e] = sHash;
        final int length = Ids.length(bytes, at, Math.min(max, ID));
        Arrays.fill(skuBytes, e * ID, (e + 1) * ID, (byte) 0);
        bytes.getBytes(at, skuBytes, e * ID, length);
        entryCat[e] = c;
        total[e] = 0;
        Arrays.fill(paneCounts, e * panes, (e + 1) * panes, 0L);
        inherited[e] = 0;
        Arrays.fill(inheritedPanes, e * panes, (e + 1) * panes, 0L);
        heapValid[c] = false;
        prev[e] = NONE;
        next[e] = head[c];
        if (head[c] != NONE) {
            prev[head[c]] = e;
        }
        head[c] = e;
        skuCount[c]++;
        entryIndex.put(key, e);
        entrySize++;
        return e;
    }

    /**
     * A new sku of a full category: the slot of the entry with the least estimate when the sku's
     * recent sales without a place ({@link AdmissionSketch}, this one included) exceed that
     * estimate, else {@link #NONE} (not admitted).
     */
    private int admit(final int c, final long key, final long amount) {
        if (admission == null) {
            admission = newSketch(); // once per board that ever fills
        }
        final long recent = admission.add(key, amount, now);
        if (!heapValid[c]) {
            makeHeap(c);
        }
        final int least = heap[c][0];
        return recent > total[least] + inherited[least] ? least : NONE;
    }

    private AdmissionSketch newSketch() {
        return new AdmissionSketch(sketchWidth(maxCategories, maxSkusPerCategory), Math.max(1, step * panes / 2));
    }

    /** Counters per sketch row: a quarter of the places, within 2^10..2^18 (1 MB for the defaults' 256 x 1,024). */
    static int sketchWidth(final int maxCategories, final int maxSkusPerCategory) {
        final long places = (long) maxCategories * maxSkusPerCategory / 4;
        final int clamped = (int) Math.max(1 << 10, Math.min(1 << 18, places));
        return Integer.bitCount(clamped) == 1 ? clamped : Integer.highestOneBit(clamped) << 1;
    }

    /**
     * The admitted sku takes slot {@code e} (its category's least): that entry's pane counts (own
     * and inherited) become the newcomer's inherited error; the newcomer's own counts start at 0
     * (the caller adds this event). The slot keeps its place in the category's list and heap.
     */
    private void replace(final int e, final long key, final long sHash, final DirectBuffer bytes, final int at, final int max) {
        final int base = e * panes;
        for (int p = base; p < base + panes; p++) {
            inheritedPanes[p] += paneCounts[p];
            paneCounts[p] = 0;
        }
        inherited[e] += total[e];
        total[e] = 0;
        entryIndex.remove(entryKey[e]);
        entryKey[e] = key;
        skuHash[e] = sHash;
        final int length = Ids.length(bytes, at, Math.min(max, ID));
        Arrays.fill(skuBytes, e * ID, (e + 1) * ID, (byte) 0);
        bytes.getBytes(at, skuBytes, e * ID, length);
        entryIndex.put(key, e);
        replacedSkus++;
    }

    /** The category's entries as a min-heap by {@link #less}. */
    private void makeHeap(final int c) {
        int[] h = heap[c];
        if (h == null) {
            h = new int[maxSkusPerCategory]; // once per category that ever fills
            heap[c] = h;
        }
        int n = 0;
        for (int e = head[c]; e != NONE; e = next[e]) {
            h[n] = e;
            heapPos[e] = n++;
        }
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(c, i);
        }
        heapValid[c] = true;
    }

    private void siftDown(final int c, final int from) {
        final int[] h = heap[c];
        final int n = skuCount[c];
        final int e = h[from];
        int i = from;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && less(h[child + 1], h[child])) {
                child++;
            }
            if (!less(h[child], e)) {
                break;
            }
            h[i] = h[child];
            heapPos[h[i]] = i;
            i = child;
        }
        h[i] = e;
        heapPos[e] = i;
    }

    /** Least estimate (own plus inherited counts) first; ties by the sku's hash, then by slot: a total order. */
    private boolean less(final int a, final int b) {
        final long x = total[a] + inherited[a];
        final long y = total[b] + inherited[b];
        if (x != y) {
            return x < y;
        }
        return skuHash[a] != skuHash[b] ? skuHash[a] < skuHash[b] : a < b;
    }

    private void removeEntry(final int e) {
        final int c = entryCat[e];
        heapValid[c] = false;
        if (prev[e] != NONE) {
            next[prev[e]] = next[e];
        } else {
            head[c] = next[e];
        }
        if (next[e] != NONE) {
            prev[next[e]] = prev[e];
        }
        entryIndex.remove(entryKey[e]);
        entryCat[e] = NONE;
        entryFree[entryFreeCount++] = e;
        entrySize--;
        if (--skuCount[c] == 0 && shownLength[c] == 0) {
            freeCategory(c); // else kept until its empty list is pushed (it is dirty)
        }
    }

    private void freeCategory(final int c) {
        if (dirty[c] != 0) {
            dirty[c] = 0;
            pending.remove(c);
        }
        catIndex.remove(catHash[c]);
        catLength[c] = NONE;
        catFree[catFreeCount++] = c;
        catSize--;
    }

    private void grow(final int capacity) {
        entryKey = Arrays.copyOf(entryKey, capacity);
        skuHash = Arrays.copyOf(skuHash, capacity);
        skuBytes = Arrays.copyOf(skuBytes, capacity * ID);
        entryCat = Arrays.copyOf(entryCat, capacity);
        next = Arrays.copyOf(next, capacity);
        prev = Arrays.copyOf(prev, capacity);
        total = Arrays.copyOf(total, capacity);
        paneCounts = Arrays.copyOf(paneCounts, capacity * panes);
        inherited = Arrays.copyOf(inherited, capacity);
        inheritedPanes = Arrays.copyOf(inheritedPanes, capacity * panes);
        heapPos = Arrays.copyOf(heapPos, capacity);
        entryFree = Arrays.copyOf(entryFree, capacity);
        entryCapacity = capacity;
    }

    /** Events whose pane had already left the window. */
    long late() {
        return late;
    }

    /** Events for a new category while {@code maxCategories} were live. */
    long droppedCategories() {
        return droppedCategories;
    }

    /** Each live category's list holds {@code skuCount} live entries of that category, at most {@code maxSkusPerCategory}. */
    private void checkLists() {
        for (int c = 0; c < catUsed; c++) {
            if (catLength[c] == NONE) {
                continue;
            }
            int n = 0;
            for (int e = head[c]; e != NONE; e = next[e]) {
                if (e < 0 || e >= entryUsed || entryCat[e] != c || ++n > skuCount[c]) {
                    throw new SnapshotFormatException("trending board " + new String(window).trim() + ": category slot " + c
                        + "'s list does not hold its " + skuCount[c] + " skus");
                }
            }
            if (n != skuCount[c] || n > maxSkusPerCategory) {
                throw new SnapshotFormatException("trending board " + new String(window).trim() + ": category slot " + c
                    + " holds " + n + " skus, counted " + skuCount[c] + ", at most " + maxSkusPerCategory);
            }
        }
    }

    /** A sku's own count in the window, or -1 when it holds no place (tests). */
    long count(final long cHash, final long sHash) {
        final int e = (int) entryIndex.get(Ids.combine(cHash, sHash));
        return e == NONE ? -1 : total[e];
    }

    /** Sales of new skus of a full category not admitted: fewer recent sales than its least sku's estimate. */
    long refusedSkus() {
        return refusedSkus;
    }

    /** New skus that took the place of a category's least one because it had {@code maxSkusPerCategory} live. */
    long replacedSkus() {
        return replacedSkus;
    }

    long pushes() {
        return pushes;
    }

    int liveCategories() {
        return catSize;
    }

    int liveSkus() {
        return entrySize;
    }

    /** Hash of every live category and counter in slot order, and the counters. */
    long stateHash() {
        long h = currentPane * 31 + now;
        h = ((h * 31 + late) * 31 + droppedCategories) * 31 + replacedSkus;
        h = (h * 31 + refusedSkus) * 31 + (admission == null ? 0 : admission.stateHash());
        h = (h * 31 + pushes) * 31 + catFreeCount;
        for (int c = 0; c < catUsed; c++) {
            if (catLength[c] == NONE) {
                continue;
            }
            h = ((h * 31 + c) * 31 + catHash[c]) * 31 + head[c];
            h = ((h * 31 + nextCheck[c]) * 31 + dirty[c]) * 31 + shownLength[c];
            for (int i = 0; i < shownLength[c]; i++) {
                h = h * 31 + shownSkus[c * k + i];
            }
        }
        h = h * 31 + entryFreeCount;
        for (int e = 0; e < entryUsed; e++) {
            if (entryCat[e] == NONE) {
                continue;
            }
            h = ((h * 31 + e) * 31 + entryKey[e]) * 31 + next[e];
            h = (h * 31 + total[e]) * 31 + inherited[e];
            for (int p = 0; p < panes; p++) {
                h = (h * 31 + paneCounts[e * panes + p]) * 31 + inheritedPanes[e * panes + p];
            }
        }
        return h;
    }

    /**
     * Writes the board for a snapshot: clock and counters, every used category and entry slot
     * (free ones included, so slots are reused in the same order after a restore) and the free
     * lists. The index maps are rebuilt by {@link #readState}.
     */
    /** Bytes {@link #writeState} writes now. */
    long stateBytesBound() {
        final long cats = catUsed;
        final long entries = entryUsed;
        return 8 + 6 * 8 + 12 + 4L * catFreeCount + cats * (8 + ID + 4 + 4 + 4 + 8 + 1 + 4 + 8L * k)
            + 12 + 4L * entryFreeCount + entries * (8 + 8 + ID + 4 + 4 + 4 + 8 + 8 + 16L * panes)
            + 8 + 1 + (admission == null ? 0 : admission.stateBytes());
    }

    void writeState(final StateWriter w) {
        w.putInt(panes).putInt(k).putLong(currentPane).putLong(now).putLong(late).putLong(droppedCategories)
            .putLong(replacedSkus).putLong(pushes).putLong(refusedSkus).putBoolean(admission != null);
        if (admission != null) {
            admission.writeState(w);
        }
        w.putInt(catUsed).putInt(catSize).putInt(catFreeCount).putInts(catFree, 0, catFreeCount);
        w.putLongs(catHash, 0, catUsed).putBytes(catBytes, 0, catUsed * ID).putInts(catLength, 0, catUsed)
            .putInts(head, 0, catUsed).putInts(skuCount, 0, catUsed).putLongs(nextCheck, 0, catUsed)
            .putBytes(dirty, 0, catUsed).putInts(shownLength, 0, catUsed).putLongs(shownSkus, 0, catUsed * k);
        w.putInt(entryUsed).putInt(entrySize).putInt(entryFreeCount).putInts(entryFree, 0, entryFreeCount);
        w.putLongs(entryKey, 0, entryUsed).putLongs(skuHash, 0, entryUsed).putBytes(skuBytes, 0, entryUsed * ID)
            .putInts(entryCat, 0, entryUsed).putInts(next, 0, entryUsed).putInts(prev, 0, entryUsed)
            .putLongs(total, 0, entryUsed).putLongs(paneCounts, 0, entryUsed * panes)
            .putLongs(inherited, 0, entryUsed).putLongs(inheritedPanes, 0, entryUsed * panes);
    }

    /** Reads what {@link #writeState} wrote into this new board (same configuration). */
    void readState(final StateReader r) {
        if (r.getInt() != panes || r.getInt() != k) {
            throw new SnapshotFormatException("trending board " + new String(window).trim() + ": the snapshot has another panes or k");
        }
        lastCat = NONE;
        currentPane = r.getLong();
        now = r.getLong();
        late = r.getLong();
        droppedCategories = r.getLong();
        replacedSkus = r.getLong();
        pushes = r.getLong();
        refusedSkus = r.getLong();
        if (r.getBoolean()) {
            admission = newSketch();
            admission.readState(r);
        }
        catUsed = r.getInt("trending categories used", 0, maxCategories);
        catSize = r.getInt("trending categories live", 0, catUsed);
        catFreeCount = r.getInt("trending free categories", 0, catUsed);
        r.getInts(catFree, 0, catFreeCount);
        r.getLongs(catHash, 0, catUsed);
        r.getBytes(catBytes, 0, catUsed * ID);
        r.getInts(catLength, 0, catUsed);
        r.getInts(head, 0, catUsed);
        r.getInts(skuCount, 0, catUsed);
        r.getLongs(nextCheck, 0, catUsed);
        r.getBytes(dirty, 0, catUsed);
        r.getInts(shownLength, 0, catUsed);
        r.getLongs(shownSkus, 0, catUsed * k);
        pending.clear();
        for (int c = 0; c < catUsed; c++) {
            if (catLength[c] != NONE) {
                catIndex.put(catHash[c], c);
                if (dirty[c] != 0) {
                    pending.add(c);
                } else if (skuCount[c] == 0) {
                    throw new SnapshotFormatException("trending board " + new String(window).trim() + ": category slot " + c
                        + " holds no sku and is not marked changed (its empty list would never be pushed)");
                }
            } else if (dirty[c] != 0) {
                throw new SnapshotFormatException("trending board " + new String(window).trim() + ": free category slot " + c
                    + " is marked changed");
            }
        }
        entryUsed = r.getInt("trending entries used", 0, maxEntries);
        entrySize = r.getInt("trending entries live", 0, entryUsed);
        if (entryUsed > 0) {
            grow((int) Math.min(maxEntries, Math.max(INITIAL, Integer.highestOneBit(entryUsed - 1) * 2L)));
        }
        entryFreeCount = r.getInt("trending free entries", 0, entryUsed);
        r.getInts(entryFree, 0, entryFreeCount);
        r.getLongs(entryKey, 0, entryUsed);
        r.getLongs(skuHash, 0, entryUsed);
        r.getBytes(skuBytes, 0, entryUsed * ID);
        r.getInts(entryCat, 0, entryUsed);
        r.getInts(next, 0, entryUsed);
        r.getInts(prev, 0, entryUsed);
        r.getLongs(total, 0, entryUsed);
        r.getLongs(paneCounts, 0, entryUsed * panes);
        r.getLongs(inherited, 0, entryUsed);
        r.getLongs(inheritedPanes, 0, entryUsed * panes);
        checkLists();
        for (int e = 0; e < entryUsed; e++) {
            if (entryCat[e] != NONE) {
                entryIndex.put(entryKey[e], e);
            }
        }
    }
}
