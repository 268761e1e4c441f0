package io.ringfence.engine.config;

import io.ringfence.engine.codec.FutureTimeLimit;

/**
 * The {@code input:} section: limits on what the edge accepts.
 *
 * <pre>
 * input:
 *   maxLineBytes: 1048576    # a JSON line longer than this is refused (TOO_LARGE)
 *   maxEventBytes: 262144    # an encoded event larger than this is refused (TOO_LARGE)
 *   maxAhead: 5m             # an event stamped further ahead of the receiving clock is refused (TIME_AHEAD); 0s = no limit
 *                            # (shorter than the order timers: one event stamped ahead moves every timer that far)
 * </pre>
 */
public final class InputConfig {
    public int maxLineBytes = 1 << 20;
    public int maxEventBytes = 1 << 18;
    public String maxAhead = "5m";

    public void validate(final String path) {
        if (maxLineBytes < 256 || maxLineBytes > (64 << 20)) {
            throw new ConfigException(path + ".maxLineBytes", maxLineBytes, "must be between 256 and 67108864");
        }
        if (maxEventBytes < 1024 || maxEventBytes > (1 << 20)) {
            throw new ConfigException(path + ".maxEventBytes", maxEventBytes, "must be between 1024 and 1048576");
        }
        Durations.parseMicros(path + ".maxAhead", maxAhead);
    }

    /** The event-time limit at the edge ({@code maxAhead}, validated). */
    public FutureTimeLimit futureTimeLimit() {
        return new FutureTimeLimit(Durations.parseMicros("input.maxAhead", maxAhead));
    }
}
