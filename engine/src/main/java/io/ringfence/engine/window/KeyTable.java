package io.ringfence.engine.window;

/**
 * The live keys of one window: key hash → {@link KeyEntry}, open addressing with linear probing
 * over the entries themselves (the key hash is read from the entry, which the caller needs
 * anyway: one memory access per lookup instead of a key array plus a value array), and
 * backward-shift deletion (no tombstones).
 *
 * <p>Key hashes are murmur-finalised already, so their low bits are the slot. The table starts
 * small and doubles when more than half full, up to the size {@code maxKeys} needs, so a window
 * with a few hundred live keys probes a few KB instead of a multi-MB table sized for the maximum;
 * it never shrinks, so it only allocates when the number of live keys reaches a new high (like
 * the window's entry and pane pools). Never iterated: its order cannot leak into outputs.
 */
final class KeyTable {
    private static final int INITIAL = 64;

    private final int maxCapacity;
    private KeyEntry[] table;
    private int mask;
    private int size;
    private int growAt;

    KeyTable(final int maxKeys) {
        int max = INITIAL;
        while (max < (1 << 30) && max / 2 < maxKeys) {
            max <<= 1;
        }
        maxCapacity = max;
        allocate(Math.min(INITIAL, max));
    }

    KeyEntry get(final long keyHash) {
        final KeyEntry[] t = table;
        final int m = mask;
        int i = (int) keyHash & m;
        KeyEntry e;
        while ((e = t[i]) != null) {
            if (e.keyHash == keyHash) {
                return e;
            }
            i = (i + 1) & m;
        }
        return null;
    }

    /** Adds an entry whose key hash is not in the table. */
    void put(final KeyEntry entry) {
        if (size >= growAt && table.length < maxCapacity) {
            rehash(table.length << 1);
        }
        insert(table, mask, entry);
        size++;
    }

    /** Removes that entry (which must be in the table). */
    void remove(final KeyEntry entry) {
        final KeyEntry[] t = table;
        final int m = mask;
        int hole = (int) entry.keyHash & m;
        while (t[hole] != entry) {
            hole = (hole + 1) & m;
        }
        int j = (hole + 1) & m;
        KeyEntry e;
        while ((e = t[j]) != null) {
            final int home = (int) e.keyHash & m;
            if (((j - home) & m) >= ((j - hole) & m)) {
                t[hole] = e;
                hole = j;
            }
            j = (j + 1) & m;
        }
        t[hole] = null;
        size--;
    }

    int size() {
        return size;
    }

    private static void insert(final KeyEntry[] t, final int m, final KeyEntry entry) {
        int i = (int) entry.keyHash & m;
        while (t[i] != null) {
            i = (i + 1) & m;
        }
        t[i] = entry;
    }

    private void rehash(final int capacity) {
        final KeyEntry[] old = table;
        allocate(capacity);
        for (final KeyEntry e : old) {
            if (e != null) {
                insert(table, mask, e);
            }
        }
    }

    private void allocate(final int capacity) {
        table = new KeyEntry[capacity];
        mask = capacity - 1;
        growAt = capacity == maxCapacity ? Integer.MAX_VALUE : capacity / 2;
    }
}
