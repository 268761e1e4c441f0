package io.ringfence.gateway.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The recent answers of one client (its {@code Decision}s, {@code Reject}s and {@code Ack}s), by
 * client sequence, so a message the client resends after a reconnect is answered again from the
 * engine's record instead of being processed twice.
 *
 * <p>A ring of {@link #CAPACITY} entries indexed by {@code clientSeq}: a client that resends more
 * than that many messages back gets {@code Reject(DUPLICATE)} for the oldest. Dispatch thread only
 * (and recovery before it); preallocated, allocation-free.
 */
final class AnswerStore {
    static final int CAPACITY = 1024;
    /** Largest answer kept: a Decision with eight reason codes is 382 bytes. */
    static final int MAX_ANSWER = 512;
    private static final int MASK = CAPACITY - 1;

    private final long[] clientSeqs = new long[CAPACITY];
    private final long[] engineSeqs = new long[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final MutableDirectBuffer answers = new UnsafeBuffer(new byte[CAPACITY * MAX_ANSWER]);

    /** Stores the answer to {@code clientSeq} (a later answer to the same sequence replaces it). */
    void answer(final long clientSeq, final long engineSeq, final DirectBuffer buffer, final int offset, final int length) {
        final int slot = (int) clientSeq & MASK;
        clientSeqs[slot] = clientSeq;
        engineSeqs[slot] = engineSeq;
        if (length <= MAX_ANSWER) {
            answers.putBytes(slot * MAX_ANSWER, buffer, offset, length);
            lengths[slot] = length;
        } else {
            lengths[slot] = -1;
        }
    }

    /** Whether {@code clientSeq} is still remembered. */
    boolean holds(final long clientSeq) {
        return clientSeq > 0 && clientSeqs[(int) clientSeq & MASK] == clientSeq;
    }

    /** Length of the stored answer, or -1 when it was too large to keep. */
    int answerLength(final long clientSeq) {
        return lengths[(int) clientSeq & MASK];
    }

    int answerOffset(final long clientSeq) {
        return ((int) clientSeq & MASK) * MAX_ANSWER;
    }

    DirectBuffer answers() {
        return answers;
    }

    long engineSeq(final long clientSeq) {
        return engineSeqs[(int) clientSeq & MASK];
    }
}
