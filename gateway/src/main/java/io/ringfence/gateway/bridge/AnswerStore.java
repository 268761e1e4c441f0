package io.ringfence.gateway.bridge;

import io.ringfence.gateway.frame.MessageFingerprint;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The recent answers of one client (its {@code Decision}s, {@code Reject}s and {@code Ack}s), by
 * client sequence, so a message the client resends after a reconnect is answered again from the
 * engine's record instead of being processed twice.
 *
 * <p>A ring of {@link #CAPACITY} entries indexed by {@code clientSeq}, sized to cover what a client
 * can hold unacknowledged (its default 4 MB store is at most ~40k of the smallest messages, ~8k
 * orders): a client that resends further back gets {@code Reject(DUPLICATE)} for the oldest. Each
 * journaled event's entry also holds its {@link MessageFingerprint}, so a different message resent
 * under its sequence is told apart (0: unknown, e.g. a refusal, whose message was never journaled). A
 * variable-length store sized from configuration would hold more in less memory; not done yet. Dispatch thread only
 * (and recovery before it); allocated once on first use, then allocation-free.
 */
final class AnswerStore {
    static final int CAPACITY = io.ringfence.gateway.client.GatewayClient.ANSWERS_HELD;
    /**
     * Largest answer kept: a Decision with its most reason codes, 418 bytes since it carries its
     * order (schema version 1; 382 before: a fixed 384 refused 7 and 8 reasons once the block grew).
     */
    static final int MAX_ANSWER = MessageHeaderEncoder.ENCODED_LENGTH + DecisionEncoder.BLOCK_LENGTH
        + DecisionEncoder.ReasonsEncoder.sbeHeaderSize() + Verdict.MAX_REASONS * DecisionEncoder.ReasonsEncoder.sbeBlockLength();
    private static final int MASK = CAPACITY - 1;

    // allocated on the client's first answer (14 MB), so configured clients that never send cost nothing
    private long[] clientSeqs;
    private long[] engineSeqs;
    private long[] fingerprints;
    private int[] lengths;
    private MutableDirectBuffer answers;

    /**
     * Stores the answer to {@code clientSeq} (a later answer to the same sequence replaces it), its message's
     * fingerprint unknown until {@link #fingerprint(long, long)}.
     */
    void answer(final long clientSeq, final long engineSeq, final DirectBuffer buffer, final int offset, final int length) {
        if (clientSeqs == null) {
            clientSeqs = new long[CAPACITY];
            engineSeqs = new long[CAPACITY];
            fingerprints = new long[CAPACITY];
            lengths = new int[CAPACITY];
            answers = new UnsafeBuffer(new byte[CAPACITY * MAX_ANSWER]);
        }
        final int slot = (int) clientSeq & MASK;
        clientSeqs[slot] = clientSeq;
        engineSeqs[slot] = engineSeq;
        fingerprints[slot] = 0;
        if (length <= MAX_ANSWER) {
            answers.putBytes(slot * MAX_ANSWER, buffer, offset, length);
            lengths[slot] = length;
        } else {
            lengths[slot] = -1;
        }
    }

    /** Records the fingerprint of the journaled message answered under {@code clientSeq} (held). */
    void fingerprint(final long clientSeq, final long fingerprint) {
        fingerprints[(int) clientSeq & MASK] = fingerprint;
    }

    /** The fingerprint of the message answered under {@code clientSeq} (held), 0 when unknown. */
    long fingerprint(final long clientSeq) {
        return fingerprints[(int) clientSeq & MASK];
    }

    /** Whether {@code clientSeq} is still remembered. */
    boolean holds(final long clientSeq) {
        return clientSeq > 0 && clientSeqs != null && clientSeqs[(int) clientSeq & MASK] == clientSeq;
    }

    /**
     * Whether nothing was answered under {@code clientSeq} since the ring reached it: its slot holds an older sequence or
     * none. A newer one there means it was answered and then overwritten (by a later journaled answer or a refusal of the
     * refused tail: review, a tail of refusals overwrites the oldest journaled answers' slots).
     */
    boolean passedOver(final long clientSeq) {
        return clientSeqs == null || clientSeqs[(int) clientSeq & MASK] < clientSeq;
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

    /** Bytes {@link #writeState} writes at most (every answer slot held, each answer at its longest). */
    static final long STATE_BYTES_MAX = 4 + (long) CAPACITY * (8 + 8 + 8 + 4 + MAX_ANSWER);

    /**
     * Writes the answers held, in slot order (deterministic): client sequence, engine sequence, fingerprint, length,
     * bytes.
     */
    void writeState(final StateWriter w) {
        if (clientSeqs == null) {
            w.putInt(0);
            return;
        }
        int n = 0;
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (clientSeqs[slot] != 0) {
                n++;
            }
        }
        w.putInt(n);
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (clientSeqs[slot] != 0) {
                final int length = lengths[slot];
                w.putLong(clientSeqs[slot]).putLong(engineSeqs[slot]).putLong(fingerprints[slot]).putInt(length);
                if (length > 0) {
                    w.putBytes(answers, slot * MAX_ANSWER, length);
                }
            }
        }
    }

    /**
     * Reads {@link #writeState}'s answers into this store (which may be a throwaway one for an unknown client);
     * {@code withFingerprints} false for a snapshot written before they were kept (its fingerprints stay unknown).
     */
    void readState(final StateReader r, final boolean withFingerprints) {
        final int n = r.getInt("answers held", 0, CAPACITY);
        final byte[] scratch = new byte[MAX_ANSWER];
        final UnsafeBuffer view = new UnsafeBuffer(scratch);
        for (int i = 0; i < n; i++) {
            final long clientSeq = r.getLong();
            final long engineSeq = r.getLong();
            final long fingerprint = withFingerprints ? r.getLong() : 0;
            final int length = r.getInt("answer length", -1, MAX_ANSWER);
            if (length > 0) {
                r.getBytes(scratch, 0, length);
            }
            if (length < 0) {
                answer(clientSeq, engineSeq, view, 0, MAX_ANSWER + 1);
            } else {
                answer(clientSeq, engineSeq, view, 0, length);
            }
            fingerprint(clientSeq, fingerprint);
        }
    }
}
