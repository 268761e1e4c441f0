package io.ringfence.gateway.session;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses logons of a client id from a remote address where that id has failed too often: after
 * {@code maxFailures} failures within {@code windowMillis}, logons of that id from that address are
 * refused for {@code backoffMillis} without their credentials being checked, which bounds how fast
 * a client's secret can be guessed from one address.
 *
 * <p>Failures are counted per (address, client): a logon presenting a configured client id counts
 * against that client's record for its address, and throttles only that client's logons from that
 * address; every logon presenting an id that is not configured counts against one shared
 * {@link #UNKNOWN_CLIENT} record of its address, and throttles only logons with unknown ids from it.
 * Keyed by address alone (before 2026-12-06), five wrong secrets of one client locked every other
 * client behind the same address out: a tunnel, VPN or TLS-terminating proxy in front of the
 * gateway puts all clients behind one address, so one misconfigured service, or anyone who can
 * reach the proxy, stopped them all. A success clears only the record of its own (address,
 * client). An address holds at most one record per configured client plus one, and at most
 * {@code maxTracked} records are remembered in all (expired ones are purged first; when all are
 * live a new failure is not recorded), so neither a flood of addresses nor a flood of ids can
 * exhaust memory.
 *
 * <p>The price of keeping known clients apart from unknown ids: once the unknown-id record of an
 * address is throttled, a configured id is answered BAD_CREDENTIALS and an unknown one THROTTLED
 * from that address, so ids can be told apart (secrets still cannot be guessed faster).
 *
 * <p>Used on the gateway I/O thread only; it runs at logon, never per message.
 */
public final class LogonThrottle {
    /** The client index that stands for every id that is not a configured client's. */
    public static final int UNKNOWN_CLIENT = -1;

    private final int maxFailures;
    private final long windowMillis;
    private final long backoffMillis;
    private final int maxTracked;
    private final Map<Key, Record> records = new HashMap<>();
    /** Looks records up without allocating (I/O thread only); a new {@link Key} is made only to add one. */
    private final Key probe = new Key(null, UNKNOWN_CLIENT);

    public LogonThrottle(final int maxFailures, final long windowMillis, final long backoffMillis, final int maxTracked) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.backoffMillis = backoffMillis;
        this.maxTracked = maxTracked;
    }

    /**
     * Whether a logon from {@code address} presenting client {@code clientIndex} ({@link Client#index()}, or
     * {@link #UNKNOWN_CLIENT} for an id that is no configured client's) must be refused now.
     */
    public boolean isThrottled(final InetAddress address, final int clientIndex, final long nowMillis) {
        final Record record = records.get(probe(address, clientIndex));
        return record != null && nowMillis < record.blockedUntil;
    }

    /** Counts a failed logon of {@code clientIndex} from {@code address}; the failure that reaches the limit starts the back-off. */
    public void onFailure(final InetAddress address, final int clientIndex, final long nowMillis) {
        Record record = records.get(probe(address, clientIndex));
        if (record == null) {
            if (records.size() >= maxTracked) {
                purgeExpired(nowMillis);
                if (records.size() >= maxTracked) {
                    return;
                }
            }
            record = new Record(nowMillis);
            records.put(new Key(address, clientIndex), record);
        }
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

    /** A successful logon forgives its client's failures from {@code address} (not other clients', nor unknown ids'). */
    public void onSuccess(final InetAddress address, final int clientIndex) {
        records.remove(probe(address, clientIndex));
    }

    /** Records (address, client) currently remembered. */
    public int tracked() {
        return records.size();
    }

    private Key probe(final InetAddress address, final int clientIndex) {
        probe.address = address;
        probe.client = clientIndex;
        return probe;
    }

    private void purgeExpired(final long nowMillis) {
        final Iterator<Record> it = records.values().iterator();
        while (it.hasNext()) {
            final Record record = it.next();
            if (nowMillis >= record.blockedUntil && nowMillis - record.windowStart > windowMillis) {
                it.remove();
            }
        }
    }

    private static final class Key {
        InetAddress address;
        int client;

        Key(final InetAddress address, final int client) {
            this.address = address;
            this.client = client;
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Key && ((Key) other).client == client && ((Key) other).address.equals(address);
        }

        @Override
        public int hashCode() {
            return 31 * address.hashCode() + client;
        }
    }

    private static final class Record {
        long windowStart;
        int failures;
        long blockedUntil;

        Record(final long windowStart) {
            this.windowStart = windowStart;
        }
    }
}
