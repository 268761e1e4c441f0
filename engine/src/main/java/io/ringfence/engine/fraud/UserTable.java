package io.ringfence.engine.fraud;

import io.ringfence.engine.model.Ids;

import java.util.Arrays;

/**
 * Per-user state: order and payment velocity, Welford mean/variance of earlier order amounts,
 * SIGNUP time, the country of the previous order, payment attempts and failures, and the user's
 * most recent distinct devices, IPs and instruments ({@value #RECENT} of each, most recent first).
 */
final class UserTable extends EntityTable {
    /** Devices, IPs and instruments remembered per user. */
    static final int RECENT = 8;
    static final long NO_SIGNUP = Long.MIN_VALUE;

    final VelocityBuckets velocity = new VelocityBuckets(true);
    long[] orders = new long[0];
    double[] mean = new double[0];
    double[] m2 = new double[0];
    long[] signup = new long[0];
    long[] lastCountry = new long[0];
    long[] attempts = new long[0];
    long[] failed = new long[0];
    long[] devices = new long[0];
    long[] ips = new long[0];
    long[] instruments = new long[0];

    UserTable(final int maxKeys) {
        super("users", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        orders = Arrays.copyOf(orders, n);
        mean = Arrays.copyOf(mean, n);
        m2 = Arrays.copyOf(m2, n);
        signup = Arrays.copyOf(signup, n);
        lastCountry = Arrays.copyOf(lastCountry, n);
        attempts = Arrays.copyOf(attempts, n);
        failed = Arrays.copyOf(failed, n);
        devices = Arrays.copyOf(devices, n * RECENT);
        ips = Arrays.copyOf(ips, n * RECENT);
        instruments = Arrays.copyOf(instruments, n * RECENT);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        orders[s] = 0;
        mean[s] = 0;
        m2[s] = 0;
        signup[s] = NO_SIGNUP;
        lastCountry[s] = Ids.EMPTY;
        attempts[s] = 0;
        failed[s] = 0;
        Arrays.fill(devices, s * RECENT, (s + 1) * RECENT, Ids.EMPTY);
        Arrays.fill(ips, s * RECENT, (s + 1) * RECENT, Ids.EMPTY);
        Arrays.fill(instruments, s * RECENT, (s + 1) * RECENT, Ids.EMPTY);
    }

    /** Welford's update with one more order amount. */
    void addAmount(final int s, final long amount) {
        final long n = ++orders[s];
        final double delta = amount - mean[s];
        mean[s] += delta / n;
        m2[s] += delta * (amount - mean[s]);
    }

    /** True when {@code id} is among the slot's recent ids in {@code ring}. */
    static boolean contains(final long[] ring, final int s, final long id) {
        final int from = s * RECENT;
        for (int i = from; i < from + RECENT; i++) {
            if (ring[i] == id) {
                return true;
            }
        }
        return false;
    }

    /** Moves {@code id} to the front of the slot's recent ids, dropping the oldest if it is new. */
    static void remember(final long[] ring, final int s, final long id) {
        final int from = s * RECENT;
        int i = from;
        while (i < from + RECENT - 1 && ring[i] != id) {
            i++;
        }
        // i is id's position, or the last position (dropped) when id is new
        for (int j = i; j > from; j--) {
            ring[j] = ring[j - 1];
        }
        ring[from] = id;
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        h = h * 31 + orders[s];
        h = h * 31 + Double.doubleToLongBits(mean[s]);
        h = h * 31 + Double.doubleToLongBits(m2[s]);
        h = h * 31 + signup[s];
        h = h * 31 + lastCountry[s];
        h = h * 31 + attempts[s];
        h = h * 31 + failed[s];
        for (int i = s * RECENT; i < (s + 1) * RECENT; i++) {
            h = h * 31 + devices[i];
            h = h * 31 + ips[i];
            h = h * 31 + instruments[i];
        }
        return h;
    }
}
