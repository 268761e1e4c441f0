package io.ringfence.gateway.client;

import io.ringfence.sbe.FilterKind;
import org.agrona.DirectBuffer;
import io.ringfence.sbe.Topic;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscriptions the application holds, the Subscribe / Unsubscribe messages still to be
 * written, and which pushes the client has seen. A server forgets a session's subscriptions when the
 * session ends, so after every logon the pending work is replaced by one Subscribe per active
 * subscription; after the first, they resume: they carry the position of the last push seen (its
 * engine sequence, and how many of that sequence arrived), and the server catches the session up on
 * what it missed before it goes live again (a CatchUp answers; an incomplete one is asked again from
 * the new position). Application threads add and remove; the I/O thread drains and counts pushes.
 * Guarded by this object's lock (subscribing is rare); the position is the I/O thread's alone.
 */
final class Subscriptions {
    /** One active subscription. */
    record Entry(long subscriptionId, Topic topic, FilterKind filterKind, String filter) {
    }

    /** An Unsubscribe still to be written. */
    private record Removal(long subscriptionId) {
    }

    /** A Subscribe of a resume, {@code following} more of it after this one. */
    private record Resume(Entry entry, int following) {
    }

    private final Map<Long, Entry> active = new LinkedHashMap<>();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private volatile boolean hasPending;
    /** Changes with every add and remove, so the position knows whether its count still holds. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The version whose subscriptions the server is known to route this session's pushes with, or
     * {@link PushPosition#UNSURE}. Known only from a resume: its last Subscribe goes out with nothing queued after it,
     * and the server sends the session nothing more before it has taken it. The plain Subscribes of a first session and
     * a live add or remove are answered by nothing, so pushes routed before one took effect can come after it (review:
     * counted as if under the new subscriptions, a resume skipped the wrong ones). I/O thread.
     */
    private long routedVersion = PushPosition.UNSURE;
    /** I/O thread (and before the first logon): where the server resumes from. */
    private final PushPosition position = new PushPosition(this::knownVersion);

    synchronized void add(final Entry entry) {
        version.incrementAndGet();
        active.put(entry.subscriptionId(), entry);
        pending.add(entry);
        hasPending = true;
    }

    synchronized boolean remove(final long subscriptionId) {
        if (active.remove(subscriptionId) == null) {
            return false;
        }
        version.incrementAndGet();
        pending.add(new Removal(subscriptionId));
        hasPending = true;
        return true;
    }

    /** The application's version while the server is known to route with it, else {@link PushPosition#UNSURE}. */
    private long knownVersion() {
        final long now = version.get();
        return now == routedVersion ? now : PushPosition.UNSURE;
    }

    synchronized int size() {
        return active.size();
    }

    /**
     * A new session: everything active is to be subscribed again, nothing else; resuming from the pushes seen when
     * there is a position. The first session starts one at the engine sequence its logon reported, so a later
     * session is caught up from there even if no push came (a subscription added during a session may then be
     * caught up on pushes from before it was added, back to that session's logon). I/O thread.
     *
     * @return false when the position was past the server's last event (a server on another journal): it starts
     *         again from there, live
     */
    synchronized boolean onLogon(final long engineSeq) {
        pending.clear();
        routedVersion = PushPosition.UNSURE; // the new session holds nothing until its Subscribes take effect
        boolean consistent = true;
        if (position.seq() > engineSeq + 1) {
            consistent = false;
            position.moveTo(engineSeq + 1);
        }
        if (position.seq() == PushPosition.NONE || active.isEmpty()) {
            pending.addAll(active.values());
            if (position.seq() == PushPosition.NONE || active.isEmpty() && position.seq() <= engineSeq) {
                position.moveTo(engineSeq + 1); // nothing to catch up on before this logon
            }
        } else {
            int following = active.size();
            for (final Entry entry : active.values()) {
                pending.add(new Resume(entry, --following));
            }
        }
        hasPending = !pending.isEmpty();
        return consistent;
    }

    /** Before the first logon: the position to resume from there ({@link GatewayClient#resumeAfter}). */
    synchronized void presetPosition(final long afterSeq, final int seenOfSeq) {
        position.preset(afterSeq, seenOfSeq);
    }

    /** Whether a position was preset ({@link #presetPosition}) and subscriptions are there to resume it with. */
    synchronized boolean presetWithoutSubscriptions() {
        return position.seq() != PushPosition.NONE && active.isEmpty();
    }

    /**
     * A push of engine sequence {@code seq} arrived. I/O thread.
     *
     * @return false for a repeat of one that arrived before a resume (not for the application)
     */
    boolean onPush(final long seq, final DirectBuffer buffer, final int offset, final int length) {
        return position.accept(seq, buffer, offset, length);
    }

    /** Repeats of pushes seen before a resume, dropped since the last call. I/O thread. */
    int takeRepeatsDropped() {
        return position.takeRepeatsDropped();
    }

    /**
     * The server answered a resume: complete, every push up to {@code throughSeq} has come; incomplete, the rest
     * is asked for from what arrived (one Subscribe resuming, of the first subscription). I/O thread.
     */
    synchronized void onCatchUp(final boolean complete, final long throughSeq) {
        if (complete) {
            if (throughSeq + 1 > position.seq()) {
                position.moveTo(throughSeq + 1);
            }
        } else if (!active.isEmpty()) {
            pending.add(new Resume(active.values().iterator().next(), 0));
            hasPending = true;
        }
    }

    /** Cheap check for the I/O loop. */
    boolean hasPending() {
        return hasPending;
    }

    /** Encodes pending messages while the control buffer has room. I/O thread. */
    synchronized void drainTo(final ControlPublisher control) {
        while (!pending.isEmpty()) {
            final Object next = pending.peek();
            if (next instanceof Entry entry) {
                if (control.room() < ControlPublisher.SUBSCRIBE_FRAME) {
                    break;
                }
                control.subscribe(entry.subscriptionId(), entry.topic(), entry.filterKind(), entry.filter());
            } else if (next instanceof Resume resume) {
                if (control.room() < ControlPublisher.SUBSCRIBE_FRAME) {
                    break;
                }
                final Entry entry = resume.entry();
                if (resume.following() == 0) {
                    // the server takes the session's subscriptions as they stand with this Subscribe: those of now,
                    // unless a change is queued behind it
                    routedVersion = pending.size() == 1 ? version.get() : PushPosition.UNSURE;
                    position.resuming(); // the last of the resume: what it catches up on comes after it
                }
                control.subscribe(entry.subscriptionId(), entry.topic(), entry.filterKind(), entry.filter(), position.seq(),
                    position.skip(), resume.following());
                if (resume.following() == 0) {
                    position.resumeSent();
                }
            } else {
                if (control.room() < ControlPublisher.UNSUBSCRIBE_FRAME) {
                    break;
                }
                control.unsubscribe(((Removal) next).subscriptionId());
            }
            pending.poll();
        }
        hasPending = !pending.isEmpty();
    }
}
