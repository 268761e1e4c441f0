package io.ringfence.tools.bench;

/**
 * When the measured answers of a run arrived, for its achieved rate: measured answers over the
 * time from the first measured answer to the last one, the rate at which the engine (or the echo)
 * delivered them. A stall it recovers from within the run leaves that rate at the offered one
 * (its cost is in the latencies); a server that cannot keep up answers more slowly than offered;
 * a backlog left over from the warm-up does not count against it (nor, catching up, for it: the
 * rate is capped at the offered one). Written by one thread.
 */
final class AnswerSpan {
    private long first = Long.MIN_VALUE;
    private long last;
    private long count;

    /** A measured answer received at {@code nanos}. */
    void measured(final long nanos) {
        if (count++ == 0) {
            first = nanos;
        }
        last = nanos;
    }

    /**
     * Answers per second from the first measured answer to the last, never above {@code offered}
     * (answers that catch up on a backlog arrive faster than they were sent, but a run delivers
     * no more than it was offered); with fewer than two, one answer over the time since its
     * intended send, {@code fromNanos}.
     */
    double achieved(final long fromNanos, final double offered) {
        final double rate;
        if (count >= 2 && last > first) {
            rate = (count - 1) * 1e9 / (last - first);
        } else {
            rate = count == 0 ? 0 : count * 1e9 / Math.max(1, last - fromNanos);
        }
        return Math.min(offered, rate);
    }
}
