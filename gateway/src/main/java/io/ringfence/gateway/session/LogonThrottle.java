package io.ringfence.gateway.session;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses logons of a client id from a remote address where that id has failed too often: after
 * {@code maxFailures} failures within {@code windowMillis}, logons of that id from that address are
 * refused for {@code backoffMillis} without their credentials being checked, which bounds how fast
 * a client's secret can be guessed from one address.
 *
 * <p>What is counted per what: a failed logon counts against the (address, id) record of the id
 * bytes it presented (the whole fixed-length id field, so an id with bytes after its NUL is an id
 * of its own), whether or not that id is a configured client's: the throttle never asks, so its
 * answers cannot tell configured ids from unknown ones (which {@code BAD_CREDENTIALS} keeps
 * indistinguishable on purpose). A throttled id from an address does not throttle the other ids
 * from it: a tunnel, VPN or TLS-terminating proxy puts every client behind one address, and keyed
 * by address alone (before 2026-12-06) five wrong secrets of one client locked every client behind
 * it out. A success clears only the record of its own (address, id).
 *
 * <p>Scans: an address keeps at most {@code maxIdsPerAddress} live id records (live: throttled, or
 * failed within the window). A failure of yet another id from an address whose id records are all
 * live (someone trying many ids) counts against the address as a whole, and {@code maxFailures} of
 * those within the window throttle every logon from the address, any id, for the back-off (the
 * per-address behaviour, only under such a scan: a scan from a proxy's shared address then locks
 * its clients out as before). A success does not clear that count.
 *
 * <p>Bounds: at most {@code maxTracked} records in all, one per address plus one per live
 * (address, id), so at most {@code 1 + maxIdsPerAddress} per address. When a failure needs a new
 * record and the table is full, expired records go first, then the addresses whose last failure is
 * oldest are forgotten (with their id records) until it fits, so counting never stops; this scan
 * runs on failed logons only, and only with a full table. Lookups do not allocate (an address's id
 * records are a small array compared byte by byte); a record is allocated only when one is added.
 *
 * <p>Used on the gateway I/O thread only; it runs at logon, never per message.
 */
public final class LogonThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long backoffMillis;
    private final int maxTracked;
    private final int maxIdsPerAddress;
    private final Map<InetAddress, Address> addresses = new HashMap<>();
    /** Records held: one per address plus its id records. */
    private int tracked;

    public LogonThrottle(final int maxFailures, final long windowMillis, final long backoffMillis, final int maxTracked,
                         final int maxIdsPerAddress) {
        if (maxIdsPerAddress < 1 || maxTracked < 2) {
            throw new IllegalArgumentException("maxIdsPerAddress must be at least 1 and maxTracked at least 2");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.backoffMillis = backoffMillis;
        this.maxTracked = maxTracked;
        this.maxIdsPerAddress = maxIdsPerAddress;
    }

    /**
     * Whether a logon from {@code address} presenting the id bytes {@code id} must be refused now: that id failed
     * too often from it, or the address tried too many ids. Depends on nothing but earlier calls (not on the id
     * being a configured client's).
     */
    public boolean isThrottled(final InetAddress address, final byte[] id, final long nowMillis) {
        final Address entry = addresses.get(address);
        if (entry == null) {
            return false;
        }
        if (nowMillis < entry.blockedUntil) {
            return true;
        }
        final IdRecord record = entry.find(id);
        return record != null && nowMillis < record.blockedUntil;
    }

    /** Whether {@code address} as a whole is throttled now (it failed with more distinct ids than its cap). */
    public boolean isAddressThrottled(final InetAddress address, final long nowMillis) {
        final Address entry = addresses.get(address);
        return entry != null && nowMillis < entry.blockedUntil;
    }

    /**
     * Counts a failed logon presenting {@code id} from {@code address}, against that (address, id), or against the
     * address if it has no room for another live id; the failure that reaches the limit starts the back-off.
     */
    public void onFailure(final InetAddress address, final byte[] id, final long nowMillis) {
        Address entry = addresses.get(address);
        if (entry == null) {
            makeRoom(null, nowMillis);
            entry = new Address(maxIdsPerAddress);
            addresses.put(address, entry);
            tracked++;
        }
        entry.lastFailure = nowMillis;
        IdRecord record = entry.find(id);
        if (record == null) {
            record = entry.reusableSlot(nowMillis, windowMillis);
            if (record != null) {
                record.take(id, nowMillis);
            } else if (entry.used < entry.ids.length && makeRoom(entry, nowMillis)) {
                record = new IdRecord(id, nowMillis);
                entry.ids[entry.used++] = record;
                tracked++;
            }
        }
        if (record != null) {
            count(record, nowMillis);
        } else {
            count(entry, nowMillis); // a live record for every id the cap allows: a scan, counted against the address
        }
    }

    /** A successful logon forgives its own id's failures from {@code address}, not other ids', nor the address's own count. */
    public void onSuccess(final InetAddress address, final byte[] id) {
        final Address entry = addresses.get(address);
        if (entry != null) {
            final IdRecord record = entry.find(id);
            if (record != null) {
                record.free = true;
            }
        }
    }

    /** Records currently held: one per address plus one per (address, id). */
    public int tracked() {
        return tracked;
    }

    private void count(final Counted record, final long nowMillis) {
        if (nowMillis - record.windowStart > windowMillis) {
            record.windowStart = nowMillis;
            record.failures = 0;
        }
        record.failures++;
        if (record.failures >= maxFailures) {
            record.blockedUntil = nowMillis + backoffMillis;
            record.windowStart = nowMillis;
            record.failures = 0;
        }
    }

    /**
     * Makes room for one more record, never forgetting {@code keep}: expired addresses first, then those whose last
     * failure is oldest. False if only {@code keep} is left to forget.
     */
    private boolean makeRoom(final Address keep, final long nowMillis) {
        if (tracked < maxTracked) {
            return true;
        }
        final Iterator<Address> it = addresses.values().iterator();
        while (it.hasNext()) {
            final Address entry = it.next();
            if (entry != keep && entry.forgettable(nowMillis, windowMillis)) {
                it.remove();
                tracked -= 1 + entry.used;
            }
        }
        while (tracked >= maxTracked) {
            InetAddress oldest = null;
            long oldestFailure = Long.MAX_VALUE;
            for (final Map.Entry<InetAddress, Address> candidate : addresses.entrySet()) {
                final Address entry = candidate.getValue();
                if (entry != keep && entry.lastFailure < oldestFailure) {
                    oldest = candidate.getKey();
                    oldestFailure = entry.lastFailure;
                }
            }
            if (oldest == null) {
                return false;
            }
            tracked -= 1 + addresses.remove(oldest).used;
        }
        return true;
    }

    private abstract static class Counted {
        long windowStart;
        int failures;
        long blockedUntil;

        final boolean expired(final long nowMillis, final long windowMillis) {
            return nowMillis >= blockedUntil && nowMillis - windowStart > windowMillis;
        }
    }

    /** An address: its own count (failures beyond its id cap), its id records and when it last failed. */
    private static final class Address extends Counted {
        final IdRecord[] ids;
        int used;
        long lastFailure;

        Address(final int maxIds) {
            this.ids = new IdRecord[maxIds];
            this.windowStart = Long.MIN_VALUE / 2; // nothing counted yet
        }

        IdRecord find(final byte[] id) {
            for (int i = 0; i < used; i++) {
                final IdRecord record = ids[i];
                if (!record.free && Arrays.equals(record.id, id)) {
                    return record;
                }
            }
            return null;
        }

        IdRecord reusableSlot(final long nowMillis, final long windowMillis) {
            for (int i = 0; i < used; i++) {
                final IdRecord record = ids[i];
                if (record.free || record.expired(nowMillis, windowMillis)) {
                    return record;
                }
            }
            return null;
        }

        /** Nothing of it counts any more: neither its own count nor any of its id records. */
        boolean forgettable(final long nowMillis, final long windowMillis) {
            if (!expired(nowMillis, windowMillis)) {
                return false;
            }
            for (int i = 0; i < used; i++) {
                if (!ids[i].free && !ids[i].expired(nowMillis, windowMillis)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class IdRecord extends Counted {
        byte[] id;
        boolean free;

        IdRecord(final byte[] id, final long nowMillis) {
            take(id, nowMillis);
        }

        void take(final byte[] presented, final long nowMillis) {
            if (id != null && id.length == presented.length) {
                System.arraycopy(presented, 0, id, 0, presented.length);
            } else {
                id = presented.clone();
            }
            free = false;
            failures = 0;
            blockedUntil = 0;
            windowStart = nowMillis;
        }
    }
}
