package io.ringfence.gateway.session;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.SessionOutbound;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live sessions by slot, and the thread-safe {@link SessionOutbound} over them.
 *
 * <p>A session id is {@code serial << 16 | slot}: the slot finds the session without a map or a
 * lock, and the serial (never reused within a process) makes an id of a closed session miss
 * even after its slot is taken by a new connection. The I/O thread adds and removes sessions;
 * any thread may {@link #offer}.
 */
public final class SessionTable implements SessionOutbound {
    private static final int SLOT_BITS = 16;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;

    private final AtomicReferenceArray<Session> slots;
    private final GatewayCounters counters;
    private long nextSerial = 1;

    public SessionTable(final int maxSessions, final GatewayCounters counters) {
        if (maxSessions < 1 || maxSessions > SLOT_MASK) {
            throw new IllegalArgumentException("maxSessions " + maxSessions + " must be between 1 and " + SLOT_MASK);
        }
        this.slots = new AtomicReferenceArray<>(maxSessions);
        this.counters = counters;
    }

    /** A free slot, or -1 when every slot is taken (I/O thread). */
    public int freeSlot() {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null) {
                return i;
            }
        }
        return -1;
    }

    /** The id the next session in {@code slot} gets (I/O thread). */
    public long nextId(final int slot) {
        return (nextSerial++ << SLOT_BITS) | slot;
    }

    /** Publishes a session to other threads (I/O thread). */
    public void add(final Session session) {
        slots.set(session.slot(), session);
    }

    /** Frees the session's slot (I/O thread). */
    public void remove(final Session session) {
        slots.compareAndSet(session.slot(), session, null);
    }

    /** Sessions in this state now, by a scan of the slots (any thread: metrics, never the hot path). */
    public int count(final SessionState state) {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            final Session session = slots.get(i);
            if (session != null && session.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** Most sessions at once. */
    public int capacity() {
        return slots.length();
    }

    /** The live session with this id, or {@code null}. Any thread. */
    public Session find(final long sessionId) {
        final long slot = sessionId & SLOT_MASK;
        if (sessionId <= 0 || slot >= slots.length()) {
            return null;
        }
        final Session session = slots.get((int) slot);
        return session != null && session.id() == sessionId ? session : null;
    }

    @Override
    public boolean offer(final long sessionId, final DirectBuffer buffer, final int offset, final int length) {
        final Session session = find(sessionId);
        if (session == null || session.state() == SessionState.CLOSED) {
            counters.increment(GatewayCounter.OFFERS_NO_SESSION);
            return false;
        }
        return offered(session.outbound().offer(buffer, offset, length));
    }

    @Override
    public boolean offerTimed(final long sessionId, final DirectBuffer buffer, final int offset, final int length,
                              final long receivedNanos, final long journalStartNanos, final long journaledNanos,
                              final long decidedNanos) {
        final Session session = find(sessionId);
        if (session == null || session.state() == SessionState.CLOSED) {
            counters.increment(GatewayCounter.OFFERS_NO_SESSION);
            return false;
        }
        return offered(session.outbound().offerTimed(buffer, offset, length, receivedNanos, journalStartNanos, journaledNanos, decidedNanos));
    }

    @Override
    public int offerKeepingRoom(final long sessionId, final DirectBuffer buffer, final int offset, final int length) {
        final Session session = find(sessionId);
        if (session == null || session.state() == SessionState.CLOSED) {
            counters.increment(GatewayCounter.OFFERS_NO_SESSION);
            return REFUSED;
        }
        final int result = session.outbound().offerKeepingRoom(buffer, offset, length);
        if (result == OutboundQueue.FULL) {
            return FULL; // not an offer refused for good: the session falls back to a catch-up (counted by the sink)
        }
        return offered(result) ? QUEUED : REFUSED;
    }

    private boolean offered(final int result) {
        if (result == OutboundQueue.QUEUED) {
            return true;
        }
        counters.increment(result == OutboundQueue.FULL ? GatewayCounter.OFFERS_FULL : GatewayCounter.OFFERS_TOO_LARGE);
        return false;
    }
}
