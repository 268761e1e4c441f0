package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * Bucketed sliding-window counters of one entity table (see {@link Horizon}), with running totals
 * so that a query for an in-order event reads one entry instead of summing every bucket.
 *
 * <p>Each key owns one contiguous block of a single {@code long[]}: first {@code header} words the
 * owning table keeps its other per-key state in (so that one key's state is one run of cache
 * lines, not a line in each of several arrays), then the three horizons' totals entries, then
 * each horizon's {@code n} buckets. An entry is {@code words} longs:
 *
 * <pre>
 *  word 0   bucket number (high 32 bits, signed) | orders (low 32 bits)
 *  word 1   order amount sum, minor units
 *  word 2   payment attempts (high 32 bits) | failed attempts (low 32 bits)   -- payments only
 * </pre>
 *
 * In the totals entry, the number is the key's newest bucket {@code N} and the counts are the sums
 * over its live buckets. A bucket is live when its number is in {@code (N − n, N]} (at most one per
 * ring position); any other bucket is stale: left behind by a move, its counts in no total and read
 * by nothing. Invariant: the totals are the sums of the live buckets, the bucket at {@code N}'s
 * position is live (numbered {@code N}), and a stale bucket's number is at most {@code N − n}.
 * (A new block's buckets are numbered 0 and empty: where 0 falls in the window of bucket numbers
 * near the epoch they count as live, adding nothing.)
 *
 * <ul>
 *   <li>Query at bucket {@code c ≥ N}: totals minus the live buckets that have left the window by
 *   then (numbers {@code ≤ c − n}: {@code c − N} positions back from {@code c}'s, 0 if
 *   {@code c − N ≥ n}). Query at {@code c < N} (a late event): the sum of the live buckets
 *   numbered {@code ≤ c}.</li>
 *   <li>Update at {@code c > N}: the live buckets leaving (numbers {@code ≤ c − n}) are subtracted
 *   from the totals and left stale where they are; only bucket {@code c} is written (numbered
 *   {@code c}, empty); then the count goes into bucket {@code c} and the totals. So a key seen
 *   again after a whole horizon writes one bucket of that horizon, not all {@code n}. A late update
 *   ({@code N − n < c < N}) finds bucket {@code c} live, or stale and restarts it empty. An update
 *   older than the horizon ({@code c ≤ N − n}) is not counted there: no later query could include
 *   it.</li>
 *   <li>{@link #queryAndAddOrder} and {@link #queryAndAddPayment} do both for the event's own
 *   key in one pass: for {@code c ≥ N} the update's move to bucket {@code c} leaves exactly the
 *   query's answer in the totals, so the leaving buckets are walked once, not twice.</li>
 * </ul>
 *
 * A block written by the earlier layout, where every ring position held its live bucket, meets
 * this invariant (snapshots read as before); the values of every query are the same, only stale
 * buckets keep old numbers and counts where that layout rewrote them.
 *
 * The bucket numbers and ring positions of the current event come from a {@link BucketClock}
 * (computed once per event).
 *
 * <p>The blocks live in pages of {@value #PAGE_SLOTS} slots ({@code pages[slot >> 10]}, the block
 * at {@code (slot & 1023) * stride}), each allocated when its first slot is cleared for a key. A
 * table that grows therefore never copies its state and allocates at most one page (~1 MB) per
 * 1,024 new keys, instead of doubling one array on the business thread (a 62 MB copy and zeroing
 * for 65,536 users stalled the engine for tens of ms). Slot numbers, and so every order, are
 * unchanged.
 */
final class VelocityBuckets {
    private static final int EMPTY = Integer.MIN_VALUE;
    private static final long LOW = 0xFFFF_FFFFL;
    /** Entries per key: per horizon one totals entry and its buckets. */
    static final int ENTRIES = Horizon.COUNT + Horizon.TOTAL;
    /** Entry of each horizon's totals in a key's velocity: together at the front (one or two cache lines). */
    private static final int[] TOTALS = {0, 1, 2};
    /** First bucket entry of each horizon in a key's velocity. */
    private static final int[] FIRST = {Horizon.COUNT, Horizon.COUNT + Horizon.BASE[1], Horizon.COUNT + Horizon.BASE[2]};
    /** No payment features wanted (see {@link #queryAndAddOrder}). */
    static final int NO_PAYMENTS = -1;

    private final int words;
    private final int header;
    private final int stride;
    static final int PAGE_SHIFT = 10;
    /** Slots per page. */
    static final int PAGE_SLOTS = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SLOTS - 1;

    /** The blocks of every slot, by page; a page is null until its first slot is cleared. */
    private long[][] pages = new long[0][];
    /** Slots the owner has grown to ({@link #grow}): the last page holds at most up to here. */
    private int capacity;
    /** Pages allocated (memory and tests). */
    private int pagesAllocated;

    /** Velocity alone (no header words). */
    VelocityBuckets(final boolean withPayments) {
        this(withPayments, 0);
    }

    /** @param header words of the owner's state at the front of every key's block */
    VelocityBuckets(final boolean withPayments, final int header) {
        this.words = withPayments ? 3 : 2;
        this.header = header;
        this.stride = header + ENTRIES * words;
    }

    /** Longs per slot: header words and velocity. */
    int stride() {
        return stride;
    }

    /** The page holding a slot's block (the owning table reads and writes its header words in place). */
    long[] page(final int slot) {
        return pages[slot >>> PAGE_SHIFT];
    }

    /** Index in {@link #page} of a slot's first header word. */
    int block(final int slot) {
        return (slot & PAGE_MASK) * stride;
    }

    int pagesAllocated() {
        return pagesAllocated;
    }

    /**
     * Reads one word of each cache line the event will use of a slot's block: every line of its
     * header and totals, and per horizon its current bucket and, when the key moves forward by
     * less than a horizon, the oldest bucket the move walks over. The caller does this for every
     * entity of the event before using any, so the misses of the four keys are waited for
     * together instead of one after another (a software prefetch; returns a sum only so the reads
     * are kept).
     */
    long touch(final int slot, final BucketClock clock) {
        final long[] d = page(slot);
        final int from = block(slot);
        final int base = from + header;
        final int end = base + Horizon.COUNT * words - 1;
        long x = d[end];
        for (int i = from; i < end; i += 8) {
            x += d[i];
        }
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int pos = clock.position[h];
            final int first = base + FIRST[h] * words;
            x += d[first + pos * words];
            final long ahead = (long) clock.bucket[h] - (int) (d[base + TOTALS[h] * words] >> 32);
            final int n = Horizon.BUCKETS[h];
            if (ahead > 1 && ahead < n) {
                final int p = pos - (int) ahead + 1;
                x += d[first + (p < 0 ? p + n : p) * words];
            }
        }
        return x;
    }

    /** Reads one word of each cache line of a slot's header words (as {@link #touch}, for an update of the header only). */
    long touchHeader(final int slot) {
        final long[] d = page(slot);
        final int from = block(slot);
        final int end = from + Math.max(header, 1) - 1;
        long x = d[end];
        for (int i = from; i < end; i += 8) {
            x += d[i];
        }
        return x;
    }

    /**
     * Makes room for slots below {@code newCapacity}: only the page table grows here (and a last
     * page cut short by the old capacity); a page is allocated when its first slot is cleared.
     */
    void grow(final int newCapacity) {
        if (newCapacity <= capacity) {
            return;
        }
        final int pageCount = (newCapacity + PAGE_SLOTS - 1) >>> PAGE_SHIFT;
        if (pageCount > pages.length) {
            pages = Arrays.copyOf(pages, pageCount);
        }
        final int last = (capacity - 1) >>> PAGE_SHIFT;
        if (capacity > 0 && pages[last] != null) {
            final int slots = pageSlots(last, newCapacity);
            if (pages[last].length < slots * stride) {
                pages[last] = Arrays.copyOf(pages[last], slots * stride); // only when the old capacity was not a whole page
            }
        }
        capacity = newCapacity;
    }

    /** Slots of page {@code p} under a capacity. */
    private static int pageSlots(final int p, final int capacity) {
        return Math.min(PAGE_SLOTS, capacity - (p << PAGE_SHIFT));
    }

    /** Clears the whole block of a slot (allocating its page if it has none yet): header words 0, velocity empty. */
    void clear(final int slot) {
        clearAt(pageFor(slot), block(slot));
    }

    /** The slot's page, allocated (zeroed) first if it has none. */
    private long[] pageFor(final int slot) {
        final int p = slot >>> PAGE_SHIFT;
        long[] page = pages[p];
        if (page == null) {
            page = new long[pageSlots(p, capacity) * stride];
            pages[p] = page;
            pagesAllocated++;
        }
        return page;
    }

    private void clearAt(final long[] d, final int from) {
        Arrays.fill(d, from, from + stride, 0L);
        for (int h = 0; h < Horizon.COUNT; h++) {
            d[from + header + TOTALS[h] * words] = ((long) EMPTY) << 32;
        }
    }

    /** Writes order count and amount per horizon at {@code v[first + 2h]}, {@code v[first + 2h + 1]}. */
    void queryOrders(final int slot, final BucketClock clock, final double[] v, final int first) {
        query(slot, clock, v, first, false);
    }

    /** Writes attempts and failed attempts per horizon at {@code v[first + 2h]}, {@code v[first + 2h + 1]}. */
    void queryPayments(final int slot, final BucketClock clock, final double[] v, final int first) {
        query(slot, clock, v, first, true);
    }

    private void query(final int slot, final BucketClock clock, final double[] v, final int first, final boolean payments) {
        final long[] d = page(slot);
        final int w = words;
        final int base = block(slot) + header;
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int n = Horizon.BUCKETS[h];
            final int totals = base + TOTALS[h] * w;
            final int buckets = base + FIRST[h] * w;
            final int cur = clock.bucket[h];
            final int newest = (int) (d[totals] >> 32);
            long a = 0;
            long b = 0;
            if (newest != EMPTY) {
                final long ahead = (long) cur - newest;
                if (ahead >= 0 && ahead < n) {
                    // totals, minus the `ahead` buckets that have left the window by bucket cur
                    long x = payments ? d[totals + 2] : d[totals];
                    long y = d[totals + 1];
                    int p = clock.position[h];
                    for (int i = 0; i < ahead; i++) {
                        final int k = buckets + p * w;
                        if ((d[k] >> 32) == (long) cur - i - n) { // live: leaving now; stale: in no total
                            if (payments) {
                                x -= d[k + 2];
                            } else {
                                x -= d[k] & LOW;
                                y -= d[k + 1];
                            }
                        }
                        p = p == 0 ? n - 1 : p - 1;
                    }
                    if (payments) {
                        a = x >>> 32;
                        b = x & LOW;
                    } else {
                        a = x & LOW;
                        b = y;
                    }
                } else if (ahead < 0) {
                    // a late event: sum the live buckets (numbered above newest - n) up to cur
                    final long lo = (long) newest - n;
                    for (int k = buckets; k < buckets + n * w; k += w) {
                        final long num = d[k] >> 32;
                        if (num > lo && num <= cur) {
                            if (payments) {
                                a += d[k + 2] >>> 32;
                                b += d[k + 2] & LOW;
                            } else {
                                a += d[k] & LOW;
                                b += d[k + 1];
                            }
                        }
                    }
                }
            }
            v[first + 2 * h] = a;
            v[first + 2 * h + 1] = payments ? b : amountSum(b);
        }
    }

    /**
     * An order amount sum as a feature: the sums add and subtract plain {@code long}s (so that what leaves a window is
     * taken off exactly), and amounts are positive, so a negative sum has wrapped past the {@code long} range: read as
     * that range's top, as the windows' sums saturate (money trial 2026-12-07: 9,300 orders of 10^15 minor units by one
     * user read as user_amount_1h -9.1e18, "tiny spend" to a rule).
     */
    private static double amountSum(final long sum) {
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    void addOrder(final int slot, final BucketClock clock, final long orderAmount) {
        final long[] d = page(slot);
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = advance(slot, h, clock);
            if (k >= 0) {
                final int totals = block(slot) + header + TOTALS[h] * words;
                d[k]++;
                d[k + 1] += orderAmount;
                d[totals]++;
                d[totals + 1] += orderAmount;
            }
        }
    }

    void addPayment(final int slot, final BucketClock clock, final boolean isFailed) {
        final long[] d = page(slot);
        final long inc = paymentIncrement(isFailed);
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = advance(slot, h, clock);
            if (k >= 0) {
                d[k + 2] += inc;
                d[block(slot) + header + TOTALS[h] * words + 2] += inc;
            }
        }
    }

    private static long paymentIncrement(final boolean isFailed) {
        return isFailed ? (1L << 32) + 1 : 1L << 32;
    }

    /**
     * {@link #queryOrders} (and {@link #queryPayments} at {@code paymentsFirst} unless it is
     * {@link #NO_PAYMENTS}) then {@link #addOrder}, in one pass: same values, same state.
     */
    void queryAndAddOrder(final int slot, final BucketClock clock, final double[] v, final int ordersFirst,
                          final int paymentsFirst, final long orderAmount) {
        final long[] d = page(slot);
        final boolean current = inNewestBuckets(slot, clock);
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = current ? readCurrent(slot, h, clock, v, ordersFirst, paymentsFirst)
                : queryAndAdvance(slot, h, clock, v, ordersFirst, paymentsFirst);
            if (k >= 0) {
                final int totals = block(slot) + header + TOTALS[h] * words;
                d[k]++;
                d[k + 1] += orderAmount;
                d[totals]++;
                d[totals + 1] += orderAmount;
            }
        }
    }

    /** {@link #queryOrders} at {@code ordersFirst}, {@link #queryPayments} at {@code paymentsFirst}, then {@link #addPayment}, in one pass. */
    void queryAndAddPayment(final int slot, final BucketClock clock, final double[] v, final int ordersFirst,
                            final int paymentsFirst, final boolean isFailed) {
        final long[] d = page(slot);
        final long inc = paymentIncrement(isFailed);
        final boolean current = inNewestBuckets(slot, clock);
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int k = current ? readCurrent(slot, h, clock, v, ordersFirst, paymentsFirst)
                : queryAndAdvance(slot, h, clock, v, ordersFirst, paymentsFirst);
            if (k >= 0) {
                d[k + 2] += inc;
                d[block(slot) + header + TOTALS[h] * words + 2] += inc;
            }
        }
    }

    /**
     * True when the event is in the key's newest bucket of every horizon: the common case of a key
     * seen again within seconds, where nothing has to move and the totals are the answer.
     */
    private boolean inNewestBuckets(final int slot, final BucketClock clock) {
        final long[] d = page(slot);
        final int totals = block(slot) + header;
        return (int) (d[totals + TOTALS[0] * words] >> 32) == clock.bucket[0]
            && (int) (d[totals + TOTALS[1] * words] >> 32) == clock.bucket[1]
            && (int) (d[totals + TOTALS[2] * words] >> 32) == clock.bucket[2];
    }

    /** {@link #queryAndAdvance} for an event in the newest bucket of horizon h: the totals, and the index of that bucket. */
    private int readCurrent(final int slot, final int h, final BucketClock clock, final double[] v,
                            final int ordersFirst, final int paymentsFirst) {
        final long[] d = page(slot);
        final int base = block(slot) + header;
        final int totals = base + TOTALS[h] * words;
        v[ordersFirst + 2 * h] = d[totals] & LOW;
        v[ordersFirst + 2 * h + 1] = amountSum(d[totals + 1]);
        if (paymentsFirst != NO_PAYMENTS) {
            v[paymentsFirst + 2 * h] = d[totals + 2] >>> 32;
            v[paymentsFirst + 2 * h + 1] = d[totals + 2] & LOW;
        }
        return base + (FIRST[h] + clock.position[h]) * words;
    }

    /**
     * The query of horizon h into {@code v}, then {@link #advance}: for an event at or after the
     * newest bucket the advanced totals are the answer; for a late one the buckets are summed first.
     */
    private int queryAndAdvance(final int slot, final int h, final BucketClock clock, final double[] v,
                                final int ordersFirst, final int paymentsFirst) {
        final long[] d = page(slot);
        final int w = words;
        final int totals = block(slot) + header + TOTALS[h] * w;
        final int cur = clock.bucket[h];
        final int newest = (int) (d[totals] >> 32);
        if (newest != EMPTY && cur < newest) {
            final int n = Horizon.BUCKETS[h];
            final int buckets = block(slot) + header + FIRST[h] * w;
            final long lo = (long) newest - n; // live buckets only
            long orders = 0;
            long amount = 0;
            long attempts = 0;
            long failed = 0;
            for (int k = buckets; k < buckets + n * w; k += w) {
                final long num = d[k] >> 32;
                if (num > lo && num <= cur) {
                    orders += d[k] & LOW;
                    amount += d[k + 1];
                    if (w == 3) {
                        attempts += d[k + 2] >>> 32;
                        failed += d[k + 2] & LOW;
                    }
                }
            }
            v[ordersFirst + 2 * h] = orders;
            v[ordersFirst + 2 * h + 1] = amountSum(amount);
            if (paymentsFirst != NO_PAYMENTS) {
                v[paymentsFirst + 2 * h] = attempts;
                v[paymentsFirst + 2 * h + 1] = failed;
            }
            return advance(slot, h, clock);
        }
        final int k = advance(slot, h, clock);
        v[ordersFirst + 2 * h] = d[totals] & LOW;
        v[ordersFirst + 2 * h + 1] = amountSum(d[totals + 1]);
        if (paymentsFirst != NO_PAYMENTS) {
            v[paymentsFirst + 2 * h] = d[totals + 2] >>> 32;
            v[paymentsFirst + 2 * h + 1] = d[totals + 2] & LOW;
        }
        return k;
    }

    /**
     * Moves horizon h of the key forward to the event's bucket if it is newer (see class comment)
     * and returns the index of the event's bucket, or -1 when the event is older than the horizon.
     */
    private int advance(final int slot, final int h, final BucketClock clock) {
        final long[] d = page(slot);
        final int w = words;
        final int n = Horizon.BUCKETS[h];
        final int totals = block(slot) + header + TOTALS[h] * w;
        final int buckets = block(slot) + header + FIRST[h] * w;
        final int cur = clock.bucket[h];
        final int pos = clock.position[h];
        final int newest = (int) (d[totals] >> 32);
        final long ahead = newest == EMPTY ? Long.MAX_VALUE : (long) cur - newest;
        final int k = buckets + pos * w;
        if (ahead >= n) {
            // every live bucket has left: they stay where they are, stale; bucket cur restarts
            d[totals] = ((long) cur) << 32;
            d[totals + 1] = 0;
            if (w == 3) {
                d[totals + 2] = 0;
            }
        } else if (ahead > 0) {
            // buckets newest+1..cur take the positions of newest-n+1..cur-n: the live ones leave the totals
            int p = pos;
            long t0 = d[totals];
            long t1 = d[totals + 1];
            long t2 = w == 3 ? d[totals + 2] : 0;
            for (int i = 0; i < ahead; i++) {
                final int j = buckets + p * w;
                if ((d[j] >> 32) == (long) cur - i - n) {
                    t0 -= d[j] & LOW;
                    t1 -= d[j + 1];
                    if (w == 3) {
                        t2 -= d[j + 2];
                    }
                }
                p = p == 0 ? n - 1 : p - 1;
            }
            d[totals] = (((long) cur) << 32) | (t0 & LOW);
            d[totals + 1] = t1;
            if (w == 3) {
                d[totals + 2] = t2;
            }
        } else if (ahead == 0) {
            return k; // live: numbered newest
        } else if (-ahead >= n) {
            return -1;
        } else if ((int) (d[k] >> 32) == cur) {
            return k; // a late event into a live bucket
        }
        // bucket cur is new (or, for a late event, its position holds a stale bucket): empty
        d[k] = ((long) cur) << 32;
        d[k + 1] = 0;
        if (w == 3) {
            d[k + 2] = 0;
        }
        return k;
    }

    /** Folds a key's block (header words included) into a running hash (replay checks). */
    long hash(final int slot, long h) {
        final long[] d = page(slot);
        final int from = block(slot);
        for (int k = from; k < from + stride; k++) {
            h = h * 31 + d[k];
        }
        return h;
    }

    /** Writes the blocks of {@code count} slots from {@code slot} (header words included), one bulk copy per page. */
    void write(final int slot, final int count, final StateWriter w) {
        int s = slot;
        final int end = slot + count;
        while (s < end) {
            final int run = Math.min(end, ((s >>> PAGE_SHIFT) + 1) << PAGE_SHIFT) - s;
            w.putLongs(page(s), block(s), run * stride);
            s += run;
        }
    }

    /** Reads back what {@link #write} wrote, into slots below the capacity ({@link #grow}), allocating their pages. */
    void read(final int slot, final int count, final StateReader r) {
        int s = slot;
        final int end = slot + count;
        while (s < end) {
            final int run = Math.min(end, ((s >>> PAGE_SHIFT) + 1) << PAGE_SHIFT) - s;
            r.getLongs(pageFor(s), block(s), run * stride);
            s += run;
        }
    }
}
