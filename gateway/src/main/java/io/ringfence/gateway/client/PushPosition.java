package io.ringfence.gateway.client;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Where a subscriber stands in the engine's pushes, so a new session resumes exactly after what arrived: the
 * engine sequence of the last push, and copies of the pushes of that sequence (a connection can drop between the
 * pushes of one event). A resume asks for everything from that sequence on; the copies then recognise the pushes
 * of that sequence that had arrived already, which are dropped, so each push reaches the application once even
 * when the subscriptions changed while away (a count of them would then skip the wrong ones). A position set from
 * outside ({@link #preset}) has no copies: it resumes with the count, which holds for the same subscriptions.
 * I/O thread only; allocation-free once its buffers have grown to one sequence's pushes.
 */
final class PushPosition {
    /** No position yet (before the first logon). */
    static final long NONE = -1;

    private long seq = NONE;
    /** Pushes of {@link #seq} that arrived (or, preset, that the application says it has). */
    private int seen;
    private final ExpandableArrayBuffer copies = new ExpandableArrayBuffer(1024);
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private boolean[] matched = new boolean[8];
    private int copied;
    private int copiedBytes;
    /** While resuming: pushes of this sequence equal to a copy are repeats. {@link #NONE} otherwise. */
    private long repeatsOf = NONE;

    long seq() {
        return seq;
    }

    /** What to send as the resume's skip: 0 when the copies will recognise repeats, else the count. */
    int skip() {
        return copied > 0 ? 0 : seen;
    }

    void preset(final long afterSeq, final int seenOfSeq) {
        seq = afterSeq;
        seen = seenOfSeq;
        copied = 0;
        copiedBytes = 0;
        repeatsOf = NONE;
    }

    /** Nothing to catch up on before {@code next}: the position moves there (with nothing of it seen). */
    void moveTo(final long next) {
        preset(next, 0);
    }

    /** A resume is being sent from here: the pushes of this sequence that come again are recognised. */
    void resuming() {
        repeatsOf = copied > 0 ? seq : NONE;
        java.util.Arrays.fill(matched, 0, copied, false);
    }

    /**
     * A push arrived.
     *
     * @return false for a repeat of one that had arrived before the resume (not for the application)
     */
    boolean accept(final long pushSeq, final DirectBuffer buffer, final int offset, final int length) {
        if (repeatsOf != NONE) {
            if (pushSeq == repeatsOf) {
                for (int i = 0; i < copied; i++) {
                    if (!matched[i] && lengths[i] == length && equal(offsets[i], buffer, offset, length)) {
                        matched[i] = true;
                        return false;
                    }
                }
            } else if (pushSeq > repeatsOf) {
                repeatsOf = NONE;
            }
        }
        if (pushSeq == seq) {
            seen++;
            copy(buffer, offset, length);
        } else if (pushSeq > seq) {
            seq = pushSeq;
            seen = 1;
            copied = 0;
            copiedBytes = 0;
            copy(buffer, offset, length);
        }
        return true;
    }

    private boolean equal(final int at, final DirectBuffer buffer, final int offset, final int length) {
        for (int j = 0; j < length; j++) {
            if (copies.getByte(at + j) != buffer.getByte(offset + j)) {
                return false;
            }
        }
        return true;
    }

    private void copy(final DirectBuffer buffer, final int offset, final int length) {
        if (copied == offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, copied * 2);
            lengths = java.util.Arrays.copyOf(lengths, copied * 2);
            matched = java.util.Arrays.copyOf(matched, copied * 2);
        }
        copies.putBytes(copiedBytes, buffer, offset, length); // grows as needed
        offsets[copied] = copiedBytes;
        lengths[copied] = length;
        matched[copied] = true; // arrived in this session: a repeat of it can only come after a later resume
        copied++;
        copiedBytes += length;
    }
}
