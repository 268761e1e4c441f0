package io.ringfence.gateway.client;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Where a subscriber stands in the engine's pushes, so a new session resumes exactly after what arrived: the
 * engine sequence of the last push, how many of that sequence arrived (a connection can drop between the pushes of
 * one event), and copies of them. While the subscriptions are those the count was made under, a resume tells the
 * server to skip that many; once they changed (a count would then skip the wrong pushes), it asks for the whole
 * sequence again and the copies recognise the repeats, which are dropped; that sequence is then counted again under
 * the subscriptions now held, repeats included, so a catch-up round that stops inside it is asked again with the count
 * and goes on after what came. A count is made under the subscriptions the server routes with when the count of the
 * sequence begins, which the client knows only from a resume on (the server answers no live Subscribe or Unsubscribe,
 * so pushes routed before one took effect can come after it was asked for): a count begun while they are not known is
 * never sent, and the resume asks for the whole sequence. A position set from outside
 * ({@link #preset}) counts for the subscriptions of the first session, as long as they stay (after a change the
 * preset sequence is asked for whole, and its pushes the application had before come again). I/O thread only (the subscriptions' version
 * is read from the application's side); allocation-free once its buffers have grown to one sequence's pushes.
 */
final class PushPosition {
    /** No position yet (before the first logon). */
    static final long NONE = -1;
    /**
     * From the version supplier: the subscriptions the server routes this session's pushes with are not known to be
     * those the application holds now (never equal to a version).
     */
    static final long UNSURE = Long.MIN_VALUE;

    private long seq = NONE;
    /** Pushes of {@link #seq} that arrived (or, preset, that the application says it has). */
    private int seen;
    private final ExpandableArrayBuffer copies = new ExpandableArrayBuffer(1024);
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private boolean[] matched = new boolean[8];
    private int copied;
    private int copiedBytes;
    /**
     * Copies that can come again: those held when the whole sequence was last asked for. Those copied since came in
     * rounds the server skips by the count, so only these are searched (go-live trial: a subscriber that fell behind
     * in a burst of 165,000 pushes searched every copy for every new push, n^2/2, and took 11 s to catch up, where a
     * resume by the count took 1 s).
     */
    private int resendable;
    /** Of {@link #resendable}, those not yet matched: none, and a push of the sequence is new without a search. */
    private int unmatched;
    /**
     * Where the next repeat is looked for first: after the copy the last one matched. The server sends a sequence's
     * pushes again in their order, so each is found at once (review: matching from the first copy every time took
     * n^2/2 comparisons for a sequence of n pushes sent again).
     */
    private int cursor;
    /** Copies compared with arrived pushes (tests: the matching stays linear). */
    private long compared;
    /** While resuming: pushes of this sequence equal to a copy are repeats. {@link #NONE} otherwise. */
    private long repeatsOf = NONE;
    /**
     * The subscriptions' version (changed on every add and remove) the server routed with when the count of this
     * sequence began; {@link #UNSURE} when that was not known.
     */
    private long countedUnder = UNSURE;
    /** The count came from {@link #preset}: it holds for the subscriptions the first session sends. */
    private boolean presetCount;
    /**
     * The subscriptions' version the preset count was first sent under ({@link #UNSURE} when not known then), or
     * {@link #PRESET_NOT_SENT}: once they change, the preset count is not sent again (review: a subscription added during
     * the preset sequence's catch-up, or while away, made a later round skip by it under other subscriptions, and a push
     * was lost and another delivered twice).
     */
    private long presetUnder = PRESET_NOT_SENT;
    private static final long PRESET_NOT_SENT = -2; // versions start at 0
    /**
     * This sequence is being counted again after a resume that asked for it whole: until the position moves on, the
     * copies of before that resume are repeats in every round (review: a later round, asked with the new count, let
     * the copies not yet sent again through to the application a second time).
     */
    private boolean recounting;
    private final java.util.function.LongSupplier subscriptionsVersion;

    /**
     * @param subscriptionsVersion the version of the subscriptions the application holds when the server is known to
     *                             route this session's pushes with them, else {@link #UNSURE}
     */
    PushPosition(final java.util.function.LongSupplier subscriptionsVersion) {
        this.subscriptionsVersion = subscriptionsVersion;
    }
    /** Repeats dropped since {@link #takeRepeatsDropped} was last called. */
    private int repeatsDropped;

    /** Copies compared with arrived pushes so far (tests). */
    long compared() {
        return compared;
    }

    /** Repeats dropped since the last call (the catch-up's count includes them). */
    int takeRepeatsDropped() {
        final int n = repeatsDropped;
        repeatsDropped = 0;
        return n;
    }

    long seq() {
        return seq;
    }

    /**
     * What to send as the resume's skip: the count while the subscriptions are those it was made under; else (or when
     * those were not known) 0, and the copies recognise the repeats ({@link #resuming}).
     */
    int skip() {
        if (presetCount) {
            return presetUnder == PRESET_NOT_SENT || presetUnder != UNSURE && subscriptionsVersion.getAsLong() == presetUnder
                ? seen : 0;
        }
        return countedUnder != UNSURE && subscriptionsVersion.getAsLong() == countedUnder ? seen : 0;
    }

    void preset(final long afterSeq, final int seenOfSeq) {
        moveTo(afterSeq);
        seen = seenOfSeq;
        presetCount = true;
        presetUnder = PRESET_NOT_SENT;
    }

    /**
     * The last Subscribe of a resume was written with {@link #skip()}: a preset count sent for the first time is bound to
     * the subscriptions it went with. Once they change, the whole preset sequence is asked for again: the pushes of it
     * that came in this process are recognised by their copies, those the application had before it ({@link #preset})
     * come again (at least once: nothing can tell them, and skipping by a count made under other subscriptions loses one).
     */
    void resumeSent() {
        if (presetCount && presetUnder == PRESET_NOT_SENT) {
            presetUnder = subscriptionsVersion.getAsLong();
        }
    }

    /** Nothing to catch up on before {@code next}: the position moves there (with nothing of it seen). */
    void moveTo(final long next) {
        seq = next;
        seen = 0;
        copied = 0;
        copiedBytes = 0;
        resendable = 0;
        unmatched = 0;
        cursor = 0;
        repeatsOf = NONE;
        presetCount = false;
        recounting = false;
        countedUnder = subscriptionsVersion.getAsLong();
    }

    /**
     * A resume is being sent from here: when it asks for the whole sequence again, the pushes of it that come again
     * are recognised by their copies (never when it skips by the count: a push identical to one that came is new then).
     */
    void resuming() {
        if (skip() == 0) {
            // the server sends this sequence's pushes of the subscriptions now held from its first: they are counted
            // again from there, repeats included, so the count holds for these subscriptions; a round that stops inside
            // the sequence (one event can make more pushes than a round takes) is asked again with it, and the next
            // round goes on after them (asking for the whole sequence again would get the same round for ever)
            seen = 0;
            presetCount = false;
            countedUnder = subscriptionsVersion.getAsLong();
            recounting = copied > 0;
            java.util.Arrays.fill(matched, 0, copied, false); // every copy can come again once
            resendable = copied;
            unmatched = copied;
            cursor = 0;
        }
        // while recounting, copies matched in an earlier round stay matched: the server skips those by the count
        repeatsOf = recounting ? seq : NONE;
    }

    /**
     * A push arrived.
     *
     * @return false for a repeat of one that had arrived before the resume (not for the application)
     */
    boolean accept(final long pushSeq, final DirectBuffer buffer, final int offset, final int length) {
        if (repeatsOf != NONE) {
            if (pushSeq == repeatsOf && unmatched > 0) {
                for (int k = 0, i = cursor; k < resendable; k++, i = i + 1 == resendable ? 0 : i + 1) {
                    compared++;
                    if (!matched[i] && lengths[i] == length && equal(offsets[i], buffer, offset, length)) {
                        matched[i] = true;
                        unmatched--;
                        cursor = i + 1 == resendable ? 0 : i + 1;
                        repeatsDropped++;
                        seen++; // a push of this sequence the server sent under these subscriptions: a next round skips it
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
            moveTo(pushSeq);
            seen = 1;
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
