package io.ringfence.engine.fraud;

/**
 * Per-device or per-IP state: order velocity, the country of the previous order, and the distinct
 * users seen in the last 24 hours as up to {@value #USERS} sightings. A user not yet held takes
 * the sighting seen longest ago (an expired one when there is one), so the count is exact up to
 * {@value #USERS} and saturates there.
 *
 * <p>In front of the velocity, in the key's block of the velocity array ({@link VelocityBuckets}),
 * a header {@code [last country, sighting × 16]}, a sighting
 * packed in one long as the user's 32-bit fingerprint (high half of its key; two users of one
 * device colliding has odds of 2^-32) and the last-seen time in whole seconds since the epoch
 * (unsigned 32 bits, good until 2106): 136 bytes instead of 264.
 */
final class LinkTable extends EntityTable {
    /** Distinct users tracked per device or IP. */
    static final int USERS = 16;
    private static final int HEADER = 1 + USERS;
    private static final long LOW = 0xFFFF_FFFFL;
    private static final long EMPTY = 0;

    final VelocityBuckets velocity = new VelocityBuckets(false, HEADER);

    LinkTable(final String name, final int maxKeys) {
        super(name, maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
    }

    long lastCountry(final int s) {
        return velocity.page(s)[velocity.block(s)];
    }

    void lastCountry(final int s, final long country) {
        velocity.page(s)[velocity.block(s)] = country;
    }

    /** The user part of a sighting: never 0, so 0 can mean "no sighting". */
    private static long fingerprint(final long user) {
        final long f = user >>> 32;
        return f == 0 ? 1 : f;
    }

    private static long seconds(final long micros) {
        return Math.max(0, Math.min(LOW, Math.floorDiv(micros, 1_000_000L)));
    }

    /** Users other than {@code user} held as seen after {@code sinceMicros} (whole seconds; Long.MIN_VALUE: every one held). */
    int otherUsers(final int s, final long user, final long sinceMicros) {
        final long[] r = velocity.page(s);
        final long me = fingerprint(user);
        final long since = seconds(sinceMicros);
        final int from = velocity.block(s) + 1;
        int n = 0;
        for (int i = from; i < from + USERS; i++) {
            final long x = r[i];
            if (x != EMPTY && (x >>> 32) != me && (sinceMicros == Long.MIN_VALUE || (x & LOW) > since)) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@link #otherUsers} since a time and over every sighting held, then {@link #addUser}, in one
     * pass over the sightings (the counts are of the sightings before the update).
     *
     * @return the count since {@code sinceMicros} in bits 0-7, of every sighting held in bits 8-15
     */
    int otherUsersThenAdd(final int s, final long user, final long sinceMicros, final long timeMicros) {
        final long[] r = velocity.page(s);
        final long me = fingerprint(user);
        final long since = seconds(sinceMicros);
        final long t = seconds(timeMicros);
        final int from = velocity.block(s) + 1;
        int n = 0;
        int mine = -1;
        int oldest = from;
        for (int i = from; i < from + USERS; i++) {
            final long x = r[i];
            final boolean isMe = (x >>> 32) == me;
            if (x != EMPTY && !isMe) {
                final long seen = x & LOW;
                n += (seen > since ? 1 : 0) + (1 << 8);
            }
            if (mine < 0) {
                if (isMe) {
                    mine = i;
                } else if ((x & LOW) < (r[oldest] & LOW)) {
                    oldest = i;
                }
            }
        }
        if (mine < 0) {
            r[oldest] = (me << 32) | t;
        } else if (t > (r[mine] & LOW)) {
            r[mine] = (me << 32) | t;
        }
        return n;
    }

    /** Records {@code user} as seen at {@code timeMicros}. */
    void addUser(final int s, final long user, final long timeMicros) {
        final long[] r = velocity.page(s);
        final long me = fingerprint(user);
        final long t = seconds(timeMicros);
        final int from = velocity.block(s) + 1;
        int oldest = from;
        for (int i = from; i < from + USERS; i++) {
            final long x = r[i];
            if ((x >>> 32) == me) {
                if (t > (x & LOW)) {
                    r[i] = (me << 32) | t;
                }
                return;
            }
            if ((x & LOW) < (r[oldest] & LOW)) { // an empty sighting has time 0: taken first
                oldest = i;
            }
        }
        r[oldest] = (me << 32) | t;
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
