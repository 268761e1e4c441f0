package io.ringfence.engine.fraud;


import java.util.Arrays;
import java.util.Collection;

/**
 * An allow or deny list: exact user, device, IP and instrument ids, held as sorted arrays of
 * their {@link FraudIds#hash} (the key fraud state uses), looked up by binary search.
 * IPs match as written (no normalisation, as everywhere in the engine). Immutable.
 */
public final class IdList {
    /** A list with no ids. */
    public static final IdList EMPTY = new IdList(null, java.util.List.of(), java.util.List.of(), java.util.List.of(),
        java.util.List.of());

    private final String reason;
    private final byte[] reasonBytes;
    private final long[] users;
    private final long[] devices;
    private final long[] ips;
    private final long[] instruments;

    /** @param reason the reason code a match reports (null only for an empty list) */
    public IdList(final String reason, final Collection<String> users, final Collection<String> devices,
                  final Collection<String> ips, final Collection<String> instruments) {
        this.reason = reason;
        this.reasonBytes = reason == null ? null : io.ringfence.engine.decision.Verdict.code(reason);
        this.users = hashes(users);
        this.devices = hashes(devices);
        this.ips = hashes(ips);
        this.instruments = hashes(instruments);
    }

    private static long[] hashes(final Collection<String> ids) {
        final long[] h = new long[ids.size()];
        int i = 0;
        for (final String id : ids) {
            h[i++] = FraudIds.hash(id);
        }
        Arrays.sort(h);
        return h;
    }

    /** True when any present id of the event is listed. */
    public boolean matches(final long user, final long device, final long ip, final long instrument) {
        return in(users, user) || in(devices, device) || in(ips, ip) || in(instruments, instrument);
    }

    private static boolean in(final long[] sorted, final long id) {
        return sorted.length > 0 && id != FraudIds.ABSENT && Arrays.binarySearch(sorted, id) >= 0;
    }

    public boolean isEmpty() {
        return users.length + devices.length + ips.length + instruments.length == 0;
    }

    public String reason() {
        return reason;
    }

    byte[] reasonBytes() {
        return reasonBytes;
    }
}
