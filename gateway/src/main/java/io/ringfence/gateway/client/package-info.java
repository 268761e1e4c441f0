/**
 * The Java client of the ringfence gateway: {@link io.ringfence.gateway.client.GatewayClient}.
 *
 * <pre>
 *  application threads                      client I/O thread "ringfence-client-&lt;id&gt;"
 *  ───────────────────                      ───────────────────────────────────────────
 *  send(msg) ──copy + clientSeq──▶ ┌─ UnackedRing (preallocated, bounded) ─┐
 *   (lock among senders only;      │ tail ── written, unacked ── sendPos ── queued ── head │
 *    never touches the socket)     └──────────┬───────────────────────────▲──────────────┘
 *  subscribe()/unsubscribe() ─▶ Subscriptions │ writeTo(socket)           │ release(ackedSeq)
 *                                             ▼                           │
 *                         ControlPublisher (Logon, Heartbeat, Subscribe) ─┼─▶ SocketChannel (non-blocking, one Selector)
 *                                                                         │            │
 *  ClientListener ◀── onDecision / onAck / onReject / onPush / onLogon ◀── frames ◀────┘
 *   (callbacks run on the I/O thread)
 * </pre>
 *
 * <h2>Threads</h2>
 * One I/O thread per client. It waits in {@code Selector.select} with a timeout of at most 100 ms
 * (a quarter of the heartbeat interval when that is shorter); a sender wakes it at most once per
 * loop. {@code send} only copies into the ring and never blocks on the socket; the timed
 * {@code send} variant waits (parked on a monitor, not spinning) only when the ring is full.
 * Listener callbacks run on the I/O thread, one at a time; they must not block.
 *
 * <h2>Sequences and exactly-once resend</h2>
 * <ul>
 *   <li>{@code send} assigns the client sequence, writes it into the message's first field
 *       ({@code clientSeq}) and returns it. The first logon's {@code LogonAck.lastJournaledClientSeq}
 *       sets the start: the first message gets that plus one, then each gets one more.</li>
 *   <li>Every business message stays in the ring until it is acknowledged: a {@code Decision} or an
 *       engine {@code Reject} for clientSeq N acknowledges every message up to N (the engine answers
 *       one client's messages in order, after journaling them), as does a {@code LogonAck} reporting
 *       {@code lastJournaledClientSeq} N. A gateway {@code Reject} ({@code seq} -1, a session code
 *       such as INTERNAL or SHUTTING_DOWN) acknowledges nothing; neither does SEQUENCE_GAP.</li>
 *   <li>When the connection is lost (end of stream, socket error, a session {@code Reject}, no
 *       bytes from the server for 3 heartbeat intervals, a SEQUENCE_GAP) the client reconnects
 *       after a back-off (doubling from {@code reconnectBackoffMillis} to
 *       {@code reconnectMaxBackoffMillis}; {@code maxReconnectAttempts} failures in a row, or
 *       forever), logs on again, drops what the LogonAck reports journaled, and writes every kept
 *       message with a higher clientSeq, in order, before any message sent later. Subscriptions
 *       are renewed after that logon. With {@code recoverAnswers} it keeps journaled messages
 *       whose answer never arrived and writes them too (the engine answers a resend again from its
 *       record and never processes it twice), so no answer is lost to a disconnect.</li>
 *   <li>Messages sent while disconnected are queued in the same ring. When the ring is full
 *       (sent-but-unacknowledged plus queued bytes reach {@code unackedBufferBytes}), {@code send}
 *       returns {@link io.ringfence.gateway.client.GatewayClient#BACK_PRESSURED} and assigns no
 *       sequence; the timed variant waits for room up to its timeout.</li>
 *   <li>The client stops for good (and says why in {@code onDisconnect(..., false)}) when
 *       reconnecting cannot help: wrong credentials, a refusal of what it sent (roles, frames), a
 *       server that has journaled numbers this client never assigned (another process used the
 *       id: see below), one that has journaled less than it already decided (those messages are gone), or
 *       a SEQUENCE_GAP reported again right after a resend (the acknowledged sequence did not move).</li>
 * </ul>
 *
 * <p>Every business message is answered: {@code Order} and {@code Payment} with a Decision,
 * {@code OrderStatus}, {@code Inventory} and {@code Activity} with an Ack once journaled, a refused
 * one with a Reject; each answer acknowledges its message.
 *
 * <p>One process per client id. A second process logging on with the same id while the first is
 * away (stopped, partitioned) takes the first's numbers. When the server has journaled a sequence
 * the first never assigned, the first stops at its logon (see above); when both assigned the same numbers, the
 * first, back, gets {@code Reject DUPLICATE} ("clientSeq N is taken by another message") for each
 * message it resends under a number the second's message took: the engine checks a
 * resend's fingerprint against the message it answered under that number and answers only the same
 * message. Those messages of the first were not processed (without {@code recoverAnswers} its
 * unanswered messages under those numbers are let go at the logon as journaled, unreported). Give
 * every process its own client id.
 */
package io.ringfence.gateway.client;
