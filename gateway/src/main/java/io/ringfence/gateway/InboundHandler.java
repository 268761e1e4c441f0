package io.ringfence.gateway;

import org.agrona.DirectBuffer;

/**
 * Receives the business messages ({@code Order}, {@code Payment}, {@code OrderStatus},
 * {@code Inventory}, {@code Activity}) of logged-on sessions holding the SUBMIT (or ADMIN) role.
 * The engine implements it by claiming a slot of its input ring and copying the message in.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Called on the gateway I/O thread only, one message at a time, in the order each
 *       session sent them. It must not block: no locks held by other threads, no I/O.</li>
 *   <li>{@code buffer[offset, offset + length)} is the SBE message, its 8-byte message header
 *       included, already checked by the gateway: the schema, version and template are known
 *       and the block, groups and var data fit the length exactly. The bytes are valid only
 *       during the call (they are the socket receive buffer): copy what must be kept.</li>
 *   <li>Return {@code true} when the message is consumed: published, or refused by the handler
 *       itself (for example a client sequence that is a duplicate or leaves a gap; the handler
 *       owns client sequence checking and answers through {@link SessionOutbound#offer}).</li>
 *   <li>Return {@code false} only when there is no capacity right now (the ring is full). The
 *       gateway then keeps the message, stops reading every socket, and calls again with the
 *       same bytes (the same session, client and sequence) until it is accepted; it never drops
 *       a message. Retries are paced by the I/O thread (about every millisecond), not a spin.</li>
 *   <li>An exception is a bug in the handler: the gateway counts it, logs it once for the
 *       session, and disconnects that session.</li>
 * </ul>
 */
@FunctionalInterface
public interface InboundHandler {
    /**
     * @param sessionId  the gateway session the message came in on (see {@link SessionOutbound})
     * @param clientKey  the client's identity: {@code Ids.hash} of its configured client id, stable across restarts
     * @param templateId the SBE template id (1 Order, 2 Payment, 3 OrderStatus, 4 Inventory, 5 Activity)
     * @param clientSeq  the message's {@code clientSeq}, its first field
     * @param buffer     holds the SBE message
     * @param offset     where its message header starts
     * @param length     message header plus body
     * @return {@code true} when consumed; {@code false} for back-pressure (present it again later)
     */
    boolean onMessage(long sessionId, long clientKey, int templateId, long clientSeq,
                      DirectBuffer buffer, int offset, int length);

    /**
     * Work of the handler's own, called on the gateway I/O thread once per loop (at least every
     * tick), after the sockets are read: the engine takes a snapshot that fell due and is still
     * pending here, so a quiet server does not wait for its next message to take it. Must not block.
     *
     * @return how much work was done (0: none), as an Agrona {@code Agent}'s {@code doWork}
     */
    default int doWork() {
        return 0;
    }
}
