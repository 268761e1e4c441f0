package io.ringfence.gateway.config;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;

/**
 * The {@code logonThrottle:} section: after {@code maxFailures} failed logons of one client id
 * from one remote address within {@code window}, further logons of that id from that address are
 * refused (THROTTLED) for {@code backoff}; other client ids from the same address are not (many
 * clients may share a proxy's address). Every id presented counts alike, configured or not; an address
 * failing with more than 16 ids at once is throttled as a whole. See
 * {@code io.ringfence.gateway.session.LogonThrottle}.
 *
 * <pre>
 * logonThrottle:
 *   maxFailures: 5
 *   window: 1m
 *   backoff: 30s
 * </pre>
 */
public final class LogonThrottleConfig {
    public int maxFailures = 5;
    public String window = "1m";
    public String backoff = "30s";

    public void validate(final String path) {
        if (maxFailures < 1 || maxFailures > 1_000) {
            throw new ConfigException(path + ".maxFailures", maxFailures, "must be between 1 and 1000");
        }
        if (windowMillis(path) < 1) {
            throw new ConfigException(path + ".window", window, "must be at least 1ms");
        }
        if (backoffMillis(path) < 1) {
            throw new ConfigException(path + ".backoff", backoff, "must be at least 1ms");
        }
    }

    public long windowMillis(final String path) {
        return Durations.parseMicros(path + ".window", window) / 1_000;
    }

    public long backoffMillis(final String path) {
        return Durations.parseMicros(path + ".backoff", backoff) / 1_000;
    }
}
