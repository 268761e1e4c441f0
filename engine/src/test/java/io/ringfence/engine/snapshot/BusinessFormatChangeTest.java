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

    @Test
    void shouldRefuseTheFormatBeforeTheMerchantJoinSayingWhy() {
        final SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(BUSI))));
        assertTrue(e.getMessage().contains("marker BUSI; this version writes BUS9") && e.getMessage().contains("journal is replayed"),
            e.getMessage());
        final SnapshotFormatException bus2 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(BUS2))));
        assertTrue(bus2.getMessage().contains("marker BUS2; this version writes BUS9") && bus2.getMessage().contains("journal is replayed"),
            bus2.getMessage());
        final SnapshotFormatException bus3 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555333))));
        assertTrue(bus3.getMessage().contains("marker BUS3; this version writes BUS9") && bus3.getMessage().contains("journal is replayed"),
            bus3.getMessage());
        final SnapshotFormatException bus4 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555334))));
        assertTrue(bus4.getMessage().contains("marker BUS4; this version writes BUS9") && bus4.getMessage().contains("journal is replayed"),
            bus4.getMessage());
        final SnapshotFormatException bus5 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555335))));
        assertTrue(bus5.getMessage().contains("marker BUS5; this version writes BUS9") && bus5.getMessage().contains("journal is replayed")
            && bus5.getMessage().contains("orders.earlyPayments"), bus5.getMessage());
        final SnapshotFormatException bus6 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555336))));
        assertTrue(bus6.getMessage().contains("marker BUS6; this version writes BUS9") && bus6.getMessage().contains("journal is replayed")
            && bus6.getMessage().contains("holdIntervals"), bus6.getMessage());
        final SnapshotFormatException bus7 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555337))));
        assertTrue(bus7.getMessage().contains("marker BUS7; this version writes BUS9") && bus7.getMessage().contains("journal is replayed")
            && bus7.getMessage().contains("maxSkusPerCategory"), bus7.getMessage());
        final SnapshotFormatException bus8 = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x42555338))));
        assertTrue(bus8.getMessage().contains("marker BUS8; this version writes BUS9") && bus8.getMessage().contains("journal is replayed")
            && bus8.getMessage().contains("trending admission state"), bus8.getMessage());
        final SnapshotFormatException other = assertThrows(SnapshotFormatException.class,
            () -> fresh().readState(new StateReader(content(0x12345678))));
        assertTrue(other.getMessage().startsWith("expected the business section (marker 0x42555339) at content offset 0, found 0x12345678"),
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
