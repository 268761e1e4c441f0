package io.ringfence.engine.window;

import org.agrona.DirectBuffer;

/**
 * A live key of one window definition (in money windows: a (key, currency) pair), with the key
 * text as the caller sent it (parts joined by '|') and its live panes, newest first. Pooled:
 * returned to the window's free list when its last pane is released.
 */
final class KeyEntry {
    long keyHash;
    final byte[] keyText;
    int keyLength;
    final byte[] currency = new byte[3];
    PaneState newest;
    int livePanes;
    KeyEntry nextFree;
    /** Snapshot writing: the snapshot this entry was last numbered in, and its number there. */
    long snapshotEpoch;
    int snapshotId;

    KeyEntry(final int maxKeyTextLength) {
        keyText = new byte[maxKeyTextLength];
    }

    void reset(final long keyHash) {
        this.keyHash = keyHash;
        keyLength = 0;
        currency[0] = 0;
        currency[1] = 0;
        currency[2] = 0;
        newest = null;
        livePanes = 0;
        nextFree = null;
    }

    void appendKeyPart(final DirectBuffer buffer, final int offset, final int length) {
        if (keyLength > 0) {
            keyText[keyLength++] = '|';
        }
        buffer.getBytes(offset, keyText, keyLength, length);
        keyLength += length;
    }

    /** The pane starting at {@code paneStart}, or null. */
    PaneState find(final long paneStart) {
        PaneState s = newest;
        while (s != null && s.paneStart > paneStart) {
            s = s.olderInKey;
        }
        return s != null && s.paneStart == paneStart ? s : null;
    }

    /** Links a new pane, keeping the list ordered newest first. */
    void link(final PaneState state) {
        PaneState newer = null;
        PaneState older = newest;
        while (older != null && older.paneStart > state.paneStart) {
            newer = older;
            older = older.olderInKey;
        }
        state.newerInKey = newer;
        state.olderInKey = older;
        if (newer == null) {
            newest = state;
        } else {
            newer.olderInKey = state;
        }
        if (older != null) {
            older.newerInKey = state;
        }
        livePanes++;
    }

    void unlink(final PaneState state) {
        if (state.newerInKey == null) {
            newest = state.olderInKey;
        } else {
            state.newerInKey.olderInKey = state.olderInKey;
        }
        if (state.olderInKey != null) {
            state.olderInKey.newerInKey = state.newerInKey;
        }
        state.newerInKey = null;
        state.olderInKey = null;
        livePanes--;
    }
}
