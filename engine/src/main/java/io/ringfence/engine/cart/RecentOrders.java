package io.ringfence.engine.cart;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import static io.ringfence.engine.model.Mix64.mix;

/**
 * The latest order time of the users who ordered last, so that an {@code ADD_TO_CART} that
 * arrives after its user's order but is stamped before it (clickstream often lags the order feed)
 * opens no cart: it was followed by an order, and a "you left something in your cart" promotion
 * would go to a customer who bought. A ring of the last {@code capacity} orders in arrival order
 * (user, time) with an index from user to the ring position of their newest entry; an entry
 * pushed out of the ring forgets its user only if it is still that user's newest. Snapshots hold
 * the ring; the index is rebuilt from it.
 */
final class RecentOrders {
    private static final int MARKER = 0x524f5244; // "RORD"
    private static final long NONE = -1;

    private final int capacity;
    private final long[] users;
    /** Per entry: the user's latest order time when it was written (never lower than an earlier entry's for that user). */
    private final long[] times;
    /** User hash → ring position of the user's newest entry. */
    private final Long2LongHashMap newest;
    private int head;
    private int count;

    RecentOrders(final int capacity) {
        this.capacity = capacity;
        this.users = new long[capacity];
        this.times = new long[capacity];
        this.newest = new Long2LongHashMap(Math.max(16, capacity * 2), 0.5f, NONE);
    }

    /** Records an order of {@code user} at {@code time} (the user's latest stays the greater of the two). */
    void record(final long user, final long time) {
        final long last = lastOrder(user);
        if (count == capacity) {
            final int oldest = head;
            if (newest.get(users[oldest]) == oldest) {
                newest.remove(users[oldest]);
            }
            head = head + 1 == capacity ? 0 : head + 1;
            count--;
        }
        final int at = position(count++);
        users[at] = user;
        times[at] = Math.max(last, time);
        newest.put(user, at);
    }

    /** The latest order time of {@code user} among the orders remembered, or {@code Long.MIN_VALUE}. */
    long lastOrder(final long user) {
        final long at = newest.get(user);
        return at == NONE ? Long.MIN_VALUE : times[(int) at];
    }

    private int position(final int i) {
        final int p = head + i;
        return p >= capacity ? p - capacity : p;
    }

    long stateHash() {
        long h = mix(MARKER * 31L + count);
        for (int i = 0; i < count; i++) {
            final int at = position(i);
            h = mix((h * 31 + users[at]) * 31 + times[at]);
        }
        return h;
    }

    long stateBytesBound() {
        return 8 + 16L * count;
    }

    /** The ring from its oldest entry. */
    void writeState(final StateWriter w) {
        w.putInt(MARKER).putInt(count);
        for (int i = 0; i < count; i++) {
            final int at = position(i);
            w.putLong(users[at]).putLong(times[at]);
        }
    }

    void readState(final StateReader r) {
        r.expect(MARKER, "recent orders");
        final int n = r.getInt("recent orders", 0, capacity);
        newest.clear();
        head = 0;
        count = n;
        for (int at = 0; at < n; at++) {
            users[at] = r.getLong();
            times[at] = r.getLong();
            final long before = newest.put(users[at], at);
            if (before != NONE && times[(int) before] > times[at]) {
                throw new SnapshotFormatException("recent order " + at + " is older than its user's entry " + before);
            }
        }
    }
}
