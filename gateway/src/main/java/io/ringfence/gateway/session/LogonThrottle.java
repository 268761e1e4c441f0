package io.ringfence.gateway.session;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses logons from a remote address that has failed too often: after {@code maxFailures}
 * failures within {@code windowMillis}, logons from that address are refused for
 * {@code backoffMillis} without their credentials being checked, which bounds how fast a secret
 * can be guessed. A success clears the address's record. At most {@code maxTracked} addresses are
 * remembered (expired records are purged first), so a flood of addresses cannot exhaust memory.
 *
 * <p>Used on the gateway I/O thread only; it runs at logon, never per message.
 */
public final class LogonThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long backoffMillis;
    private final int maxTracked;
    private final Map<InetAddress, Record> records = new HashMap<>();

    public LogonThrottle(final int maxFailures, final long windowMillis, final long backoffMillis, final int maxTracked) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.backoffMillis = backoffMillis;
        this.maxTracked = maxTracked;
    }

    /** Whether a logon from {@code address} must be refused now. */
    public boolean isThrottled(final InetAddress address, final long nowMillis) {
        final Record record = records.get(address);
        return record != null && nowMillis < record.blockedUntil;
    }

    /** Counts a failed logon; the failure that reaches the limit starts the back-off. */
    public void onFailure(final InetAddress address, final long nowMillis) {
        Record record = records.get(address);
        if (record == null) {
            if (records.size() >= maxTracked) {
                purgeExpired(nowMillis);
                if (records.size() >= maxTracked) {
                    return;
                }
            }
            record = new Record(nowMillis);
            records.put(address, record);
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

    /** A successful logon forgives the address. */
    public void onSuccess(final InetAddress address) {
        records.remove(address);
    }

    /** Addresses currently remembered. */
    public int tracked() {
        return records.size();
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

    private static final class Record {
        long windowStart;
        int failures;
        long blockedUntil;

        Record(final long windowStart) {
            this.windowStart = windowStart;
        }
    }
}
