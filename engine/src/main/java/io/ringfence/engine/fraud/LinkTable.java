package io.ringfence.engine.fraud;


import java.util.Arrays;

/**
 * Per-device or per-IP state: order velocity, the country of the previous order, and the distinct
 * users seen in the last 24 hours as up to {@value #USERS} (user, last seen) pairs. A user not yet
 * held takes the pair seen longest ago (an expired one when there is one), so the count is exact
 * up to {@value #USERS} and saturates there.
 *
 * <p>Besides the velocity, one record per slot: {@code [last country, (user, seen) × 16]}.
 */
final class LinkTable extends EntityTable {
    /** Distinct users tracked per device or IP. */
    static final int USERS = 16;
    private static final int RECORD = 1 + 2 * USERS;

    final VelocityBuckets velocity = new VelocityBuckets(false);
    private long[] record = new long[0];

    LinkTable(final String name, final int maxKeys) {
        super(name, maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        record = Arrays.copyOf(record, n * RECORD);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        final int r = s * RECORD;
        record[r] = FraudIds.ABSENT;
        for (int i = r + 1; i < r + RECORD; i += 2) {
            record[i] = FraudIds.ABSENT;
            record[i + 1] = Long.MIN_VALUE;
        }
    }

    long lastCountry(final int s) {
        return record[s * RECORD];
    }

    void lastCountry(final int s, final long country) {
        record[s * RECORD] = country;
    }

    /** Users other than {@code user} seen after {@code since}. */
    int otherUsers(final int s, final long user, final long since) {
        final long[] r = record;
        final int from = s * RECORD + 1;
        int n = 0;
        for (int i = from; i < from + 2 * USERS; i += 2) {
            final long u = r[i];
            if (u != FraudIds.ABSENT && u != user && r[i + 1] > since) {
                n++;
            }
        }
        return n;
    }

    /** Records {@code user} as seen at {@code time}. */
    void addUser(final int s, final long user, final long time) {
        final long[] r = record;
        final int from = s * RECORD + 1;
        int oldest = from;
        for (int i = from; i < from + 2 * USERS; i += 2) {
            if (r[i] == user) {
                if (time > r[i + 1]) {
                    r[i + 1] = time;
                }
                return;
            }
            if (r[i + 1] < r[oldest + 1]) {
                oldest = i;
            }
        }
        r[oldest] = user;
        r[oldest + 1] = time;
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        for (int i = s * RECORD; i < (s + 1) * RECORD; i++) {
            h = h * 31 + record[i];
        }
        return h;
    }
}
