package io.ringfence.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each configured wait makes the Disruptor strategy it names (test-suite audit: every pipeline test waits blocking); spellings in TopologyTest. */
class WaitKindTest {
    @Test
    void eachKindCreatesItsOwnStrategy() {
        final Map<WaitKind, Class<? extends WaitStrategy>> expected = Map.of(
            WaitKind.BLOCKING, BlockingWaitStrategy.class,
            WaitKind.SLEEPING, SleepingWaitStrategy.class,
            WaitKind.YIELDING, YieldingWaitStrategy.class,
            WaitKind.BUSY_SPIN, BusySpinWaitStrategy.class);
        for (final WaitKind kind : WaitKind.values()) {
            if (kind == WaitKind.AUTO) {
                assertEquals("AUTO must be resolved first", assertThrows(IllegalStateException.class, kind::create).getMessage());
            } else {
                assertEquals(expected.get(kind), kind.create().getClass(), kind.name());
            }
        }
    }
}
