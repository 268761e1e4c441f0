package io.ringfence.engine.fraud;


import java.util.Arrays;

/**
 * Per-user state: order and payment velocity, Welford mean/variance of earlier order amounts,
 * SIGNUP time, the country of the previous order, payment attempts and failures, and the user's
 * most recent distinct devices, IPs and instruments ({@value #RECENT} of each, most recent first).
 *
 * <p>Besides the velocity, per slot one record of {@value #RECORD} longs (one cache line; doubles
 * as their raw bits) and {@code 3 × 8} recent ids as 32-bit fingerprints (the high half of their
 * key; a false "seen before" has odds of 8 in 2^32):
 * <pre>
 *  record  0 orders  1 mean  2 m2  3 signup time  4 last country  5 attempts  6 failed  7 (unused)
 *  recent  0..7 devices   8..15 IPs   16..23 instruments   (most recent first, 0 = none)
 * </pre>
 */
final class UserTable extends EntityTable {
    /** Devices, IPs and instruments remembered per user. */
    static final int RECENT = 8;
    static final long NO_SIGNUP = Long.MIN_VALUE;
    static final int DEVICES = 0;
    static final int IPS = 8;
    static final int INSTRUMENTS = 16;
    private static final int RECORD = 8;
    private static final int RECENTS = 3 * RECENT;
    private static final int ORDERS = 0;
    private static final int MEAN = 1;
    private static final int M2 = 2;
    private static final int SIGNUP = 3;
    private static final int COUNTRY = 4;
    private static final int ATTEMPTS = 5;
    private static final int FAILED = 6;

    final VelocityBuckets velocity = new VelocityBuckets(true);
    private long[] record = new long[0];
    private int[] recent = new int[0];

    UserTable(final int maxKeys) {
        super("users", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        record = Arrays.copyOf(record, n * RECORD);
        recent = Arrays.copyOf(recent, n * RECENTS);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        final int r = s * RECORD;
        Arrays.fill(record, r, r + RECORD, 0L);
        record[r + MEAN] = Double.doubleToRawLongBits(0.0);
        record[r + M2] = Double.doubleToRawLongBits(0.0);
        record[r + SIGNUP] = NO_SIGNUP;
        record[r + COUNTRY] = FraudIds.ABSENT;
        Arrays.fill(recent, s * RECENTS, (s + 1) * RECENTS, 0);
    }

    long orders(final int s) {
        return record[s * RECORD + ORDERS];
    }

    double mean(final int s) {
        return Double.longBitsToDouble(record[s * RECORD + MEAN]);
    }

    /** Population variance of the earlier order amounts (0 without any). */
    double variance(final int s) {
        final long n = orders(s);
        return n == 0 ? 0 : Double.longBitsToDouble(record[s * RECORD + M2]) / n;
    }

    long signup(final int s) {
        return record[s * RECORD + SIGNUP];
    }

    /** Keeps the earliest SIGNUP time seen. */
    void signup(final int s, final long time) {
        final int i = s * RECORD + SIGNUP;
        if (record[i] == NO_SIGNUP || time < record[i]) {
            record[i] = time;
        }
    }

    long lastCountry(final int s) {
        return record[s * RECORD + COUNTRY];
    }

    void lastCountry(final int s, final long country) {
        record[s * RECORD + COUNTRY] = country;
    }

    long attempts(final int s) {
        return record[s * RECORD + ATTEMPTS];
    }

    long failed(final int s) {
        return record[s * RECORD + FAILED];
    }

    void addAttempt(final int s, final boolean isFailed) {
        record[s * RECORD + ATTEMPTS]++;
        if (isFailed) {
            record[s * RECORD + FAILED]++;
        }
    }

    /** Welford's update with one more order amount. */
    void addAmount(final int s, final long amount) {
        final int r = s * RECORD;
        final long n = ++record[r + ORDERS];
        double mean = Double.longBitsToDouble(record[r + MEAN]);
        final double delta = amount - mean;
        mean += delta / n;
        record[r + MEAN] = Double.doubleToRawLongBits(mean);
        record[r + M2] = Double.doubleToRawLongBits(Double.longBitsToDouble(record[r + M2]) + delta * (amount - mean));
    }

    /** True when {@code id} is among the slot's recent ids of a kind ({@link #DEVICES}, {@link #IPS}, {@link #INSTRUMENTS}). */
    boolean contains(final int s, final int kind, final long id) {
        final int f = fingerprint(id);
        final int from = s * RECENTS + kind;
        for (int i = from; i < from + RECENT; i++) {
            if (recent[i] == f) {
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
        final int[] r = recent;
        final int f = fingerprint(id);
        final int from = s * RECENTS + kind;
        int i = from;
        while (i < from + RECENT - 1 && r[i] != f) {
            i++;
        }
        // i is id's position, or the last position (dropped) when id is new
        for (int j = i; j > from; j--) {
            r[j] = r[j - 1];
        }
        r[from] = f;
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        for (int i = s * RECORD; i < (s + 1) * RECORD; i++) {
            h = h * 31 + record[i];
        }
        for (int i = s * RECENTS; i < (s + 1) * RECENTS; i++) {
            h = h * 31 + recent[i];
        }
        return h;
    }
}
