package io.ringfence.gateway.bridge;

import org.agrona.collections.Long2LongHashMap;

/**
 * Keeps each session's resume in order. A resume is a run of Subscribes with {@code resumeAfterSeq > 0}
 * whose {@code resumeFollowing} counts the ones still to come down to 0; from its first the session gets no
 * live pushes, and its last catches the session up. A live Subscribe in the middle of that run is refused,
 * and so is a resuming one with a negative skip or count: accepted, a session that said one more resuming Subscribe would
 * follow and then sent a live one got no pushes and no word ever again (outside-client trial). A session resumes once,
 * after its logon, and again only after an incomplete CatchUp: a catch-up walks the push history on the dispatch thread,
 * and a re-trial's subscriber resuming from the history's start 100,000 times in 4 s held every client's answers back
 * by seconds.
 *
 * <p>It also keeps the oldest sequence any session being caught up still needs ({@link #floor}), which the push history
 * keeps.
 *
 * <p>Dispatch thread only. Allocates only when a session first resumes (the map grows).
 */
final class ResumeOrder {
    /** Resuming Subscribes still to come per session; {@link #CAUGHT_UP} once its catch-up completed. */
    private final Long2LongHashMap expected = new Long2LongHashMap(0);
    private static final long CAUGHT_UP = -1;
    /** Per session after an incomplete CatchUp: its throughSeq, where the next round must resume from (or later). */
    private final Long2LongHashMap askAgainFrom = new Long2LongHashMap(-1);
    /**
     * Per session being caught up (it fell behind, or a round of its catch-up was incomplete): the oldest sequence whose
     * pushes it still needs from the history. Their least is {@link #floor}, which the history keeps (growing if need be).
     */
    private final Long2LongHashMap needsFrom = new Long2LongHashMap(-1);
    /**
     * Per session that fell behind, under the subscriptions it held then: the sequence it fell behind at (every push of
     * those subscriptions before it was queued for it). Forgotten once its subscriptions change (review: a subscription
     * added while behind never had the pushes before it, and a resume was told nothing of it was lost), and when its
     * catch-up moves on.
     */
    private final Long2LongHashMap behindAt = new Long2LongHashMap(-1);
    private long floor = PushHistory.NO_FLOOR;

    /**
     * Checks one Subscribe of {@code session} and, when it is accepted, counts it.
     *
     * @param fields whether the message carries the resume fields (a version-2 block); without them it is live
     * @return null when it may go on, else why it is refused
     */
    String check(final long session, final boolean fields, final long resumeAfterSeq, final int resumeSkip,
                 final int resumeFollowing) {
        final boolean resuming = fields && resumeAfterSeq > 0; // 0 or less: live (the Java client sends -1)
        if (resuming && (resumeSkip < 0 || resumeFollowing < 0)) {
            return "a resume's resumeSkip and resumeFollowing must not be negative, got " + resumeSkip + " and " + resumeFollowing;
        }
        final long more = expected.get(session);
        if (resuming && more == CAUGHT_UP) {
            return "this session has been caught up (its CatchUp was complete): a session resumes once, after its logon, and"
                + " again only after an incomplete CatchUp; subscribe live (resumeAfterSeq 0), or log on again to resume";
        }
        final long floor = askAgainFrom.get(session);
        if (resuming && floor >= 0 && resumeAfterSeq < floor) {
            return "after an incomplete CatchUp (through seq " + floor + ") the next round resumes from there or later, not from "
                + resumeAfterSeq;
        }
        if (!resuming) {
            if (more > 0) {
                return "this session's resume expects " + more + " more resuming Subscribe(s) (resumeAfterSeq > 0,"
                    + " resumeFollowing counting down to 0) before a live one; until its last comes the session gets no"
                    + " live pushes";
            }
            return null;
        }
        if (resumeFollowing > 0) {
            expected.put(session, resumeFollowing);
        } else {
            expected.remove(session); // its catch-up follows: caughtUp if it completes
        }
        return null;
    }

    /** The session's catch-up completed: it is live, and resumes no more on this connection. */
    void caughtUp(final long session) {
        expected.put(session, CAUGHT_UP);
        askAgainFrom.remove(session);
        release(session);
    }

    /** A Subscribe of the session added or changed a subscription: what it was sent before says nothing of the new one. */
    void subscriptionsChanged(final long session) {
        behindAt.remove(session);
    }

    /**
     * The sequence the session fell behind at, while its subscriptions are those it held then and no round of its
     * catch-up has been sent: every push of them before it was queued for it; -1 otherwise.
     */
    long behindAt(final long session) {
        return behindAt.get(session);
    }

    /**
     * A catch-up round stopped at its budget through {@code throughSeq}: the session asks again, from there or later
     * (review: re-asking from the history's start without end walked it again each round).
     */
    void incomplete(final long session, final long throughSeq) {
        askAgainFrom.put(session, throughSeq);
        behindAt.remove(session);
        needs(session, throughSeq);
    }

    /**
     * A push found the session's buffer full and it was kept (onOverflow CATCH_UP): it resumes again, from what arrived,
     * which only it knows (no floor), though it had been caught up. Each time costs a full buffer's pushes, so a session
     * cannot make the dispatch thread walk the history at will this way.
     */
    void fellBehind(final long session, final long sequence) {
        expected.remove(session);
        askAgainFrom.remove(session);
        behindAt.put(session, sequence);
        needs(session, sequence);
    }

    /** The session is no longer being caught up (it holds no suspended subscription): it needs nothing from the history. */
    void notBehind(final long session) {
        release(session);
    }

    /** The session ended: its resume with it. */
    void drop(final long session) {
        expected.remove(session);
        askAgainFrom.remove(session);
        release(session);
    }

    /**
     * The oldest sequence a connected session being caught up still needs from the push history, or
     * {@link PushHistory#NO_FLOOR}: the history grows rather than drop it, so a burst larger than the history does not
     * overwrite what such a session is being sent in rounds (a backfill's go-live: 165,000 pushes at one event, of which
     * a subscriber caught up 8,000).
     */
    long floor() {
        return floor;
    }

    private void needs(final long session, final long sequence) {
        needsFrom.put(session, sequence);
        recomputeFloor(); // its own earlier position may have been the least
    }

    private void release(final long session) {
        behindAt.remove(session);
        if (needsFrom.remove(session) != needsFrom.missingValue()) {
            recomputeFloor();
        }
    }

    private void recomputeFloor() {
        long least = PushHistory.NO_FLOOR;
        final Long2LongHashMap.ValueIterator values = needsFrom.values().iterator();
        while (values.hasNext()) {
            least = Math.min(least, values.nextValue());
        }
        floor = least;
    }
}
