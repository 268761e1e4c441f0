package io.ringfence.gateway;

import org.agrona.DirectBuffer;

/**
 * Sends messages to sessions from any thread (the engine's dispatch thread, typically) without
 * ever blocking the caller.
 *
 * <p>Each session has a bounded outbound buffer (an Agrona {@code ManyToOneRingBuffer}, see
 * {@code io.ringfence.gateway.session.OutboundQueue}); the gateway I/O thread drains it into the
 * socket. When the buffer of a session is full, the session is marked slow and the I/O thread
 * disconnects it with {@code Reject(SLOW_CONSUMER)}: a subscriber that cannot keep up never
 * stalls the pipeline (DESIGN §2). (A push for a subscriber that asked for it keeps the session instead, which is
 * caught up from the push history: {@link #offerKeepingRoom}.) The I/O thread also disconnects a session whose socket takes nothing of what waits
 * for it for {@code gateway.slowConsumerTimeout}, however little that is.
 */
@FunctionalInterface
public interface SessionOutbound {
    /**
     * Queues one SBE message (its 8-byte message header included; the gateway adds the SOFH
     * frame header) for a session. Thread-safe, lock-free, allocation-free, never blocks.
     *
     * @return {@code true} when queued; {@code false} when the session is unknown or gone, when
     *         its buffer was full (the session is then being disconnected as a slow consumer), or
     *         when the framed message would exceed the maximum frame size (counted, a caller bug)
     */
    boolean offer(long sessionId, DirectBuffer buffer, int offset, int length);

    /** {@link #offerKeepingRoom} result: queued. */
    int QUEUED = 0;
    /** {@link #offerKeepingRoom} result: the session's buffer has no room for it; the session stays. */
    int FULL = 1;
    /** {@link #offerKeepingRoom} result: the session is unknown or gone, or the message too large (as {@link #offer}). */
    int REFUSED = -1;

    /**
     * {@link #offer} for a push to a session that falls back to a catch-up when its buffer fills ({@code onOverflow
     * CATCH_UP}): queued only while room stays for the CatchUp that tells the session; when there is none the session is
     * not disconnected. By default as {@link #offer}, never {@link #FULL}.
     *
     * @return {@link #QUEUED}, {@link #FULL} or {@link #REFUSED}
     */
    default int offerKeepingRoom(long sessionId, DirectBuffer buffer, int offset, int length) {
        return offer(sessionId, buffer, offset, length) ? QUEUED : REFUSED;
    }

    /**
     * {@link #offer} for an answer with the engine's stage times (System.nanoTime, metrics only;
     * {@code receivedNanos} 0 for none), so the gateway can record where its time went
     * ({@link StageLatencies}) once it is written. By default the times are dropped.
     */
    default boolean offerTimed(long sessionId, DirectBuffer buffer, int offset, int length,
                               long receivedNanos, long journalStartNanos, long journaledNanos, long decidedNanos) {
        return offer(sessionId, buffer, offset, length);
    }
}
