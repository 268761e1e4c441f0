package io.ringfence.engine.fraud;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fraud table that grows adds pages of 1,024 keys' blocks as keys arrive and never copies the
 * blocks it has (a doubling of one array of 65,536 users' blocks, 62 MB, stalled the business
 * thread), and its state, hash and snapshot are those of the slots alone, whatever the paging.
 */
class PagedTableGrowthTest {
    private static final long T = FraudEvents.T0;

    private static long key(final int i) {
        return 0x9E37_79B9_7F4A_7C15L * (i + 1);
    }

    private static UserTable filled(final int maxKeys, final int keys) {
        final UserTable users = new UserTable(maxKeys);
        for (int i = 0; i < keys; i++) {
            final int s = users.acquire(key(i), T + i);
            users.addAmount(s, 100 + i);
            users.remember(s, UserTable.DEVICES, key(i + 7));
        }
        return users;
    }

    @Test
    void shouldAddAPagePer1024KeysAndKeepTheFirstPagesInPlace() {
        final UserTable users = filled(65_536, 1_000);
        assertEquals(1, users.velocity.pagesAllocated());
        final long[] first = users.velocity.page(0);
        for (int i = 1_000; i < 5_000; i++) {
            users.acquire(key(i), T + i);
        }
        assertEquals(5, users.velocity.pagesAllocated(), "ceil(5000 / 1024) pages, only as keys arrived");
        assertSame(first, users.velocity.page(0), "the first page was not copied by the growth");
        assertEquals(100 + 999, Math.round(users.mean(users.find(key(999)))), "a key of the first page kept its state");
        assertEquals(5_000, users.size());
    }

    @Test
    void shouldCutTheLastPageAtMaxKeysAndEvictWhenFull() {
        final UserTable users = filled(1_500, 1_600);
        assertEquals(2, users.velocity.pagesAllocated());
        assertEquals((1_500 - 1_024) * users.velocity.stride(), users.velocity.page(1_499).length, "the last page holds up to maxKeys only");
        assertEquals(1_500, users.size());
        assertEquals(100, users.evictedFull(), "full: each new key replaced an old one");
    }

    @Test
    void shouldRestoreASnapshotAcrossPagesToTheSameStateAndBytes() {
        final UserTable users = filled(65_536, 3_000);
        users.evictIdle(T + 1_500, 3_000); // frees slots 0..1499: runs of live slots cross page boundaries
        assertEquals(1_500, users.size());
        final StateWriter w = new StateWriter(1 << 16);
        users.writeState(w);
        final long over = users.stateBytesBound() - w.position();
        assertTrue(over >= 0 && over <= 16, "the bound is exact but for the name's UTF-8 allowance: " + over);
        final UserTable restored = new UserTable(65_536);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        restored.readState(new StateReader(bytes.slice()));
        assertEquals(users.stateHash(), restored.stateHash());
        final StateWriter again = new StateWriter(1 << 16);
        restored.writeState(again);
        assertEquals(w.position(), again.position());
        assertEquals(0, compare(w, again), "byte-identical (0 = no differing byte)");
        // and it goes on the same way: new keys take the freed slots in the same order
        final int a = users.acquire(key(10_000), T + 5_000);
        final int b = restored.acquire(key(10_000), T + 5_000);
        assertEquals(a, b);
        assertEquals(users.stateHash(), restored.stateHash());
        assertNotEquals(0, users.stateHash());
    }

    @Test
    void shouldRefuseASnapshotIntoATableInUse() {
        final UserTable users = filled(4_096, 10);
        final StateWriter w = new StateWriter(1 << 16);
        users.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        assertThrows(IllegalStateException.class, () -> users.readState(new StateReader(bytes.slice())));
    }

    private static int compare(final StateWriter a, final StateWriter b) {
        for (int i = 0; i < a.position(); i++) {
            if (a.buffer().getByte(i) != b.buffer().getByte(i)) {
                return i + 1;
            }
        }
        return 0;
    }
}
