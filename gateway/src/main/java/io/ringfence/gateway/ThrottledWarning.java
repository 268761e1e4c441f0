package io.ringfence.gateway;

/**
 * Says whether a repeated warning may be logged now: at most once a period, counting the occurrences
 * kept quiet in between so the next line can say how many there were. A flood of refused connections
 * must not write the log at its own pace (audit: 9,615 lines in a minute). One thread; times are
 * {@link System#nanoTime()} readings, passed in so the rule can be tested.
 */
public final class ThrottledWarning {
    private final long periodNanos;
    private long lastNanos;
    private boolean said;
    private long quiet;

    public ThrottledWarning(final long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + periodNanos);
        }
        this.periodNanos = periodNanos;
    }

    /**
     * Records one occurrence at {@code nowNanos}: true when it is to be logged (the first, or the first a period after
     * the last one logged), false when it is counted in {@link #quietSinceLast} instead.
     */
    public boolean occurred(final long nowNanos) {
        if (!said || nowNanos - lastNanos >= periodNanos) {
            return true;
        }
        quiet++;
        return false;
    }

    /** Occurrences not logged since the last logged one; read it while logging, then call {@link #logged}. */
    public long quietSinceLast() {
        return quiet;
    }

    /** The occurrence {@link #occurred} allowed was logged at {@code nowNanos}: the period and the count start again. */
    public void logged(final long nowNanos) {
        said = true;
        lastNanos = nowNanos;
        quiet = 0;
    }
}
