package io.ringfence.engine.fraud;

import io.ringfence.engine.model.Ids;

import java.util.Arrays;

/**
 * Per-device or per-IP state: order velocity, the country of the previous order, and the distinct
 * users seen in the last 24 hours as up to {@value #USERS} (user, last seen) pairs. A user not yet
 * held takes the pair seen longest ago (an expired one when there is one), so the count is exact
 * up to {@value #USERS} and saturates there.
 */
final class LinkTable extends EntityTable {
    /** Distinct users tracked per device or IP. */
    static final int USERS = 16;

    final VelocityBuckets velocity = new VelocityBuckets(false);
    long[] lastCountry = new long[0];
    long[] users = new long[0];
    long[] userSeen = new long[0];

    LinkTable(final String name, final int maxKeys) {
        super(name, maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        lastCountry = Arrays.copyOf(lastCountry, n);
        users = Arrays.copyOf(users, n * USERS);
        userSeen = Arrays.copyOf(userSeen, n * USERS);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        lastCountry[s] = Ids.EMPTY;
        Arrays.fill(users, s * USERS, (s + 1) * USERS, Ids.EMPTY);
        Arrays.fill(userSeen, s * USERS, (s + 1) * USERS, Long.MIN_VALUE);
    }

    /** Users other than {@code user} seen after {@code since}. */
    int otherUsers(final int s, final long user, final long since) {
        int n = 0;
        for (int i = s * USERS; i < (s + 1) * USERS; i++) {
            if (users[i] != Ids.EMPTY && users[i] != user && userSeen[i] > since) {
                n++;
            }
        }
        return n;
    }

    /** Records {@code user} as seen at {@code time}. */
    void addUser(final int s, final long user, final long time) {
        int oldest = s * USERS;
        for (int i = s * USERS; i < (s + 1) * USERS; i++) {
            if (users[i] == user) {
                if (time > userSeen[i]) {
                    userSeen[i] = time;
                }
                return;
            }
            if (userSeen[i] < userSeen[oldest]) {
                oldest = i;
            }
        }
        users[oldest] = user;
        userSeen[oldest] = time;
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        h = h * 31 + lastCountry[s];
        for (int i = s * USERS; i < (s + 1) * USERS; i++) {
            h = h * 31 + users[i];
            h = h * 31 + userSeen[i];
        }
        return h;
    }
}
