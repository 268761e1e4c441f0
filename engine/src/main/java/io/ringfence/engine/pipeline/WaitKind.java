package io.ringfence.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/** The Disruptor wait strategies a configuration may name. */
public enum WaitKind {
    /** Lock and condition: lowest CPU, highest wake-up latency. */
    BLOCKING,
    /** Spin, then yield, then park briefly: low CPU when idle. */
    SLEEPING,
    /** Spin briefly, then {@code Thread.yield()}: low latency, a core's worth of CPU per waiting thread under load. */
    YIELDING,
    /** Spins: lowest latency, burns one core per waiting thread always. Only with spare cores. */
    BUSY_SPIN,
    /** Chosen from the number of cores and the layout. */
    AUTO;

    WaitStrategy create() {
        switch (this) {
            case BLOCKING: return new BlockingWaitStrategy();
            case SLEEPING: return new SleepingWaitStrategy();
            case YIELDING: return new YieldingWaitStrategy();
            case BUSY_SPIN: return new BusySpinWaitStrategy();
            default: throw new IllegalStateException("AUTO must be resolved first");
        }
    }

    /** Accepts the configuration spellings {@code busy-spin}, {@code busy_spin}, {@code BusySpin}. */
    public static WaitKind parse(final String text) {
        final String norm = text.trim().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        return "BUSYSPIN".equals(norm) ? BUSY_SPIN : valueOf(norm);
    }
}
