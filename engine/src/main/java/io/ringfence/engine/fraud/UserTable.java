package io.ringfence.engine.fraud;

/**
 * Per-user state: order and payment velocity, Welford mean/variance of earlier order amounts,
 * SIGNUP time, the country of the previous order, payment attempts and failures, and the user's
 * most recent distinct devices, IPs and instruments ({@value #RECENT} of each, most recent first).
 *
 * <p>Everything of one user is one block of the velocity array ({@link VelocityBuckets}): a
 * header of {@value #HEADER} longs (doubles as their raw bits), then the velocity. The recent ids
 * are 32-bit fingerprints (the high half of their key; a false "seen before" has odds of 8 in
 * 2^32), two to a long, the first of a pair in the low half:
 * <pre>
 *  header  0 orders  1 mean  2 m2  3 signup time  4 last country  5 attempts  6 failed
 *          7..10 devices   11..14 IPs   15..18 instruments   (8 fingerprints each, most recent first, 0 = none)
 * </pre>
 * With the velocity totals right behind, what an order reads of its user is four adjacent cache
 * lines plus one bucket line per horizon.
 */
final class UserTable extends EntityTable {
    /** Devices, IPs and instruments remembered per user. */
    static final int RECENT = 8;
    static final long NO_SIGNUP = Long.MIN_VALUE;
    /** Kinds of recent ids: their first fingerprint, counted in ints from {@link #RECENTS}. */
    static final int DEVICES = 0;
    static final int IPS = RECENT;
    static final int INSTRUMENTS = 2 * RECENT;
    private static final int ORDERS = 0;
    private static final int MEAN = 1;
    private static final int M2 = 2;
    private static final int SIGNUP = 3;
    private static final int COUNTRY = 4;
    private static final int ATTEMPTS = 5;
    private static final int FAILED = 6;
    private static final int RECENTS = 7;
    private static final int HEADER = RECENTS + 3 * RECENT / 2;
    private static final long LOW = 0xFFFF_FFFFL;

    final VelocityBuckets velocity = new VelocityBuckets(true, HEADER);

    UserTable(final int maxKeys) {
        super("users", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        final long[] d = velocity.page(s);
        final int r = velocity.block(s);
        d[r + MEAN] = Double.doubleToRawLongBits(0.0);
        d[r + M2] = Double.doubleToRawLongBits(0.0);
        d[r + SIGNUP] = NO_SIGNUP;
        d[r + COUNTRY] = FraudIds.ABSENT;
    }

    long orders(final int s) {
        return velocity.page(s)[velocity.block(s) + ORDERS];
    }

    double mean(final int s) {
        return Double.longBitsToDouble(velocity.page(s)[velocity.block(s) + MEAN]);
    }

    /** Population variance of the earlier order amounts (0 without any). */
    double variance(final int s) {
        final long n = orders(s);
        return n == 0 ? 0 : Double.longBitsToDouble(velocity.page(s)[velocity.block(s) + M2]) / n;
    }

    long signup(final int s) {
        return velocity.page(s)[velocity.block(s) + SIGNUP];
    }

    /** Keeps the earliest SIGNUP time seen. */
    void signup(final int s, final long time) {
        final long[] d = velocity.page(s);
        final int i = velocity.block(s) + SIGNUP;
        if (d[i] == NO_SIGNUP || time < d[i]) {
            d[i] = time;
        }
    }

    long lastCountry(final int s) {
        return velocity.page(s)[velocity.block(s) + COUNTRY];
    }

    void lastCountry(final int s, final long country) {
        velocity.page(s)[velocity.block(s) + COUNTRY] = country;
    }

    long attempts(final int s) {
        return velocity.page(s)[velocity.block(s) + ATTEMPTS];
    }

    long failed(final int s) {
        return velocity.page(s)[velocity.block(s) + FAILED];
    }

    void addAttempt(final int s, final boolean isFailed) {
        final long[] d = velocity.page(s);
        final int r = velocity.block(s);
        d[r + ATTEMPTS]++;
        if (isFailed) {
            d[r + FAILED]++;
        }
    }

    /** Welford's update with one more order amount. */
    void addAmount(final int s, final long amount) {
        final long[] d = velocity.page(s);
        final int r = velocity.block(s);
        final long n = ++d[r + ORDERS];
        double mean = Double.longBitsToDouble(d[r + MEAN]);
        final double delta = amount - mean;
        mean += delta / n;
        d[r + MEAN] = Double.doubleToRawLongBits(mean);
        d[r + M2] = Double.doubleToRawLongBits(Double.longBitsToDouble(d[r + M2]) + delta * (amount - mean));
    }

    /** True when {@code id} is among the slot's recent ids of a kind ({@link #DEVICES}, {@link #IPS}, {@link #INSTRUMENTS}). */
    boolean contains(final int s, final int kind, final long id) {
        final long[] d = velocity.page(s);
        final int f = fingerprint(id);
        final int from = velocity.block(s) + RECENTS + kind / 2;
        for (int i = from; i < from + RECENT / 2; i++) {
            final long pair = d[i];
            if ((int) pair == f || (int) (pair >>> 32) == f) {
                return true;
            }
        }
        return false;
    }

    private static int fingerprint(final long id) {
        final int f = (int) (id >>> 32);
        return f == 0 ? 1 : f;
    }

    /** Moves {@code id} to the front of the slot's recent ids of a kind, dropping the oldest if it is new. */
    void remember(final int s, final int kind, final long id) {
        final long[] d = velocity.page(s);
        final int f = fingerprint(id);
        final int from = 2 * (velocity.block(s) + RECENTS) + kind; // in ints
        if (recent(d, from) == f) {
            return; // already the most recent (the usual case)
        }
        int i = from;
        while (i < from + RECENT - 1 && recent(d, i) != f) {
            i++;
        }
        // i is id's position, or the last position (dropped) when id is new
        for (int j = i; j > from; j--) {
            recent(d, j, recent(d, j - 1));
        }
        recent(d, from, f);
    }

    /** The fingerprint at int index {@code i} of the array (low half of a long first). */
    private static int recent(final long[] d, final int i) {
        return (int) (d[i >> 1] >>> ((i & 1) << 5));
    }

    private static void recent(final long[] d, final int i, final int f) {
        final int shift = (i & 1) << 5;
        d[i >> 1] = (d[i >> 1] & ~(LOW << shift)) | ((f & LOW) << shift);
    }

    @Override
    VelocityBuckets blocks() {
        return velocity;
    }

    @Override
    long hashSlot(final int s, final long h) {
        return velocity.hash(s, h);
    }
}
