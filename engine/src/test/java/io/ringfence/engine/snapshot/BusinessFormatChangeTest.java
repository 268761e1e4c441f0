package io.ringfence.engine.snapshot;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The business state's format changed when orders began to keep their merchant (marker "BUSI" →
 * "BUS2") and when the order book began to count orders forgotten to make room ("BUS3"): a
 * snapshot of an older format is refused with a message saying so, and start-up falls back to an
 * older usable snapshot or to replaying the journal from the start.
 */
class BusinessFormatChangeTest {
    private static final int BUSI = 0x42555349;
    private static final int BUS2 = 0x42555332;
    private static final byte[] DIGEST = new byte[32];

    @TempDir
    Path dir;

    private static EngineLogic fresh() {
        return new EngineLogic(BusinessSpec.of(EngineConfigLoader.defaults()), null);
    }

    /** A whole snapshot's content (business section, empty output section, end), its first marker replaced by {@code marker}. */
    private static ByteBuffer content(final Integer marker) {
        final StateWriter w = new StateWriter(1 << 16);
        fresh().writeState(w);
        w.putInt(0x4F555450).putInt(0).putInt(0x454E4421); // "OUTP", no output side, "END!"
        final ByteBuffer bytes = ByteBuffer.allocate(w.position()).order(ByteOrder.LITTLE_ENDIAN);
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        if (marker != null) {
            bytes.putInt(0, marker);
        }
        return bytes;
    }

    /** A snapshot of an earlier format is refused naming its marker, this version's, and what it lacks. */
    private void assertRefused(final int marker, final String name, final String lacks) {
        final SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(marker))));
        assertTrue(e.getMessage().contains("marker " + name + "; this version writes BUSL") && e.getMessage().contains("journal is replayed")
            && e.getMessage().contains(lacks), e.getMessage());
    }

    @Test
    void shouldRefuseTheFormatBeforeTheMerchantJoinSayingWhy() {
        assertRefused(BUSI, "BUSI", "merchant");
        assertRefused(BUS2, "BUS2", "orders.whenFull");
        assertRefused(0x42555333, "BUS3", "unknownOrders");
        assertRefused(0x42555334, "BUS4", "partial payment");
        assertRefused(0x42555335, "BUS5", "orders.earlyPayments");
        assertRefused(0x42555336, "BUS6", "holdIntervals");
        assertRefused(0x42555337, "BUS7", "maxSkusPerCategory");
        assertRefused(0x42555338, "BUS8", "trending admission state");
        assertRefused(0x42555339, "BUS9", "overcount");
        assertRefused(0x42555341, "BUSA", "next sale or view");
        assertRefused(0x42555342, "BUSB", "minRelSigma");
        assertRefused(0x42555343, "BUSC", "fraud key idle for idleTtl");
        assertRefused(0x42555344, "BUSD", "answered with its first decision");
        assertRefused(0x42555345, "BUSE", "64-bit digests");
        assertRefused(0x42555346, "BUSF", "told apart by amount");
        // upgrade trial 2026-12-07 (HIGH): a BUSG snapshot, kept under the timer and idle-sku rules before, was used as it
        // was, and the live server's next decision disagreed with its own replay
        assertRefused(0x42555347, "BUSG", "units in a warehouse");
        // money trial 2026-12-07 (HIGH): an order remembered 4 payments; a BUSH snapshot's layout holds 4 per order
        assertRefused(0x42555348, "BUSH", "last 16 payments");
        // review 2026-12-07 (HIGH): a BUSJ snapshot, kept under the idle-sku and anomaly rules before, was used as it was,
        // and the upgraded server's answer disagreed with its own replay
        assertRefused(0x4255534A, "BUSJ", "last told LOW or OUT");
        // trial 2026-12-07: a BUSK snapshot's trending skus were kept under the full-table rule before
        assertRefused(0x4255534B, "BUSK", "past its skuTtl");
        final SnapshotFormatException other = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x12345678))));
        assertTrue(other.getMessage().startsWith("expected the business section (marker 0x4255534c) at content offset 0, found 0x12345678"),
            other.getMessage());
    }

    @Test
    void shouldStartFromTheSnapshotBeforeOrFromTheJournalsStart() {
        final SnapshotStore store = new SnapshotStore(dir, 5);
        store.write(10, DIGEST, 0, content(null), null);
        store.write(20, DIGEST, 0, content(BUSI), null);
        final SnapshotLoader.Loaded<EngineLogic> loaded = SnapshotLoader.load(store, DIGEST, 100, BusinessFormatChangeTest::fresh, null);
        assertEquals(10, loaded.sequence(), "the older-format snapshot at 20 is passed over");
        assertEquals(1, loaded.skipped());

        final SnapshotStore onlyOld = new SnapshotStore(dir.resolve("old"), 5);
        onlyOld.write(20, DIGEST, 0, content(BUSI), null);
        final SnapshotLoader.Loaded<EngineLogic> replay = SnapshotLoader.load(onlyOld, DIGEST, 100, BusinessFormatChangeTest::fresh, null);
        assertEquals(0, replay.sequence(), "nothing usable: the whole journal is replayed");
        assertNull(replay.file());
        assertEquals(1, replay.skipped());
    }
}
