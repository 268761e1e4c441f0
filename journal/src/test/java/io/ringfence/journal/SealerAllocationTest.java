package io.ringfence.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sealer thread, which now writes the key index too, allocates per block of the index (a file written), not per
 * record: measured with the JVM's per-thread allocation counter over 200,000 records after a warm-up.
 */
class SealerAllocationTest {
    private static final int SHIFT = 12; // 4,096 records a block: 48 blocks measured
    private static final int WARM_UP = 100_000;
    private static final int MEASURED = 200_000;

    @TempDir
    Path dir;

    @Test
    void sealingAndIndexingAllocateNothingPerRecord() throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        final RecordKeys keys = (p, o, l, into) -> {
            into[0] = p.getLong(o) * 0x9E3779B97F4A7C15L;
            return 1;
        };
        try (Journal journal = Journal.open(JournalConfig.builder(dir).seal(100, null).keyIndex(keys, SHIFT).build())) {
            final JournalAppender appender = journal.appender();
            long seq = 1;
            for (; seq <= WARM_UP; seq++) {
                payload.putLong(0, seq % 1_000);
                appender.append(seq, seq, 1, seq, payload, 0, 64);
            }
            waitForSeal(journal, WARM_UP);
            final long sealer = sealerThread();
            final long before = threads.getThreadAllocatedBytes(sealer);
            for (; seq <= WARM_UP + MEASURED; seq++) {
                payload.putLong(0, seq % 1_000);
                appender.append(seq, seq, 1, seq, payload, 0, 64);
            }
            waitForSeal(journal, WARM_UP + MEASURED);
            final long allocated = threads.getThreadAllocatedBytes(sealer) - before;
            final long blocks = MEASURED >> SHIFT;
            // a block written costs a few KB (its file's path and channel); a record's allocation would be >= 16 B each
            assertTrue(allocated < blocks * 8_192 + 256 * 1024, allocated + " bytes for " + MEASURED + " records, " + blocks
                    + " blocks: " + (double) allocated / MEASURED + " B a record");
        }
    }

    private static void waitForSeal(final Journal journal, final long through) throws InterruptedException {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (journal.sealedThrough() < through) {
            assertTrue(System.nanoTime() < deadline, "sealed through " + journal.sealedThrough());
            Thread.sleep(20);
        }
    }

    private static long sealerThread() {
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ringfence-journal-sealer")) {
                return t.getId();
            }
        }
        throw new AssertionError("no sealer thread");
    }
}
