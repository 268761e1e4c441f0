package io.ringfence.engine.pipeline;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.output.OutputSpillPool;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.engine.snapshot.SnapshotPolicy;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A snapshot that cannot be written must not stop the engine (trial at 1 M users: a state past the
 * snapshot buffer's 2 GiB failed the engine stage at the snapshot, "negative value: index=-2147364909",
 * and every restart replayed up to it and failed the same way; with the default heap, "Cannot reserve
 * ... bytes of direct buffer memory" did the same): the snapshot is counted as failed, its buffer goes
 * back, the events go on, and it is due again at the next interval, not at the next event.
 */
class FailedSnapshotTest {
    @TempDir
    Path dir;

    /** Business logic whose state (its event count) cannot be written while {@code failing}, or says it is beyond the format's limit. */
    static final class Logic implements BusinessLogic {
        boolean failing;
        long bound = 64;
        long events;
        long writes;

        @Override
        public void onEvent(final long sequence, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                            final int length, final OutputBuffer out) {
            events++;
        }

        @Override
        public void onEndOfInput(final long lastSequence, final OutputBuffer out) {
        }

        @Override
        public long stateHash() {
            return events;
        }

        @Override
        public long stateBytesBound() {
            return bound;
        }

        @Override
        public void writeState(final StateWriter w) {
            writes++;
            if (failing) {
                throw new OutOfMemoryError("Cannot reserve 1289945088 bytes of direct buffer memory");
            }
            w.putLong(events);
        }
    }

    private static EngineEvent event(final long sequence) {
        final EngineEvent e = new EngineEvent(64, 256, new OutputSpillPool());
        e.set(EventKind.EVENT, sequence, 0, 1, sequence, 0);
        return e;
    }

    /** Review: fits() checked the business state alone; the output section complete() appends could push it past 2 GiB. */
    @Test
    void shouldCountTheOutputSectionInTheLimit() throws Exception {
        final io.ringfence.engine.snapshot.OutputState outputs = new io.ringfence.engine.snapshot.OutputState() {
            @Override
            public void writeState(final StateWriter w) {
            }

            @Override
            public void readState(final io.ringfence.engine.snapshot.StateReader r) {
            }

            @Override
            public void resetState() {
            }

            @Override
            public long stateBytesBound() {
                return 100L << 20; // 100 MiB of answers held for resends
            }
        };
        try (SnapshotAgent agent = new SnapshotAgent(new SnapshotStore(dir, 2), new byte[32], new SnapshotPolicy(10, 0), outputs, null)) {
            assertEquals(true, agent.fits(1L << 30, 1), "1 GiB and 100 MiB fit");
            assertEquals(false, agent.fits((2L << 30) - (50L << 20), 2), "2 GiB less 50 MiB does not, with 100 MiB of outputs");
            assertEquals(1, agent.failed());
        }
    }

    @Test
    void shouldCountAFailedSnapshotGiveItsBufferBackAndGoOn() throws Exception {
        final Logic logic = new Logic();
        final AtomicLong errors = new AtomicLong();
        try (SnapshotAgent agent = new SnapshotAgent(new SnapshotStore(dir, 2), new byte[32], new SnapshotPolicy(10, 0), null, null)) {
            final BusinessHandler handler = new BusinessHandler(logic, errors, agent, false);
            logic.failing = true;
            for (long seq = 1; seq <= 15; seq++) {
                final EngineEvent e = event(seq);
                handler.onEvent(e, seq, true);
                assertNull(e.snapshot(), "no snapshot travels on " + seq);
            }
            assertEquals(15, logic.events, "every event processed");
            assertEquals(0, errors.get(), "no business error");
            assertEquals(1, agent.failed(), "one failed snapshot, at 10");
            assertEquals(1, logic.writes, "tried once, not again at every event after it");

            logic.failing = false;
            EngineEvent at20 = null;
            for (long seq = 16; seq <= 20; seq++) {
                at20 = event(seq);
                handler.onEvent(at20, seq, true);
            }
            assertNotNull(at20.snapshot(), "the next interval's snapshot is taken, in a buffer that came back");
            assertEquals(2, logic.writes);

            logic.bound = Long.MAX_VALUE / 4; // beyond the format's 2 GiB: not even tried
            for (long seq = 21; seq <= 30; seq++) {
                final EngineEvent e = event(seq);
                handler.onEvent(e, seq, true);
                assertNull(e.snapshot());
            }
            assertEquals(2, logic.writes, "a state beyond the limit is not written");
            assertEquals(2, agent.failed());
            assertEquals(30, logic.events);
        }
    }
}
