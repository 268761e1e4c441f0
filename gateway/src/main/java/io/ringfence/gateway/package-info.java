/**
 * The TCP gateway: how clients reach the engine, and the contract between the two.
 *
 * <pre>
 *  clients ──TCP──▶ ┌──────────── ringfence-gateway (one I/O thread, one selector) ────────────┐
 *                   │ ReceiveBuffer ─▶ FrameDecoder ─▶ InboundAdapter (logon, roles) ─┐       │
 *                   │                                                                 ▼       │
 *                   │                            InboundHandler / SubscriptionHandler ─────────┼──▶ engine input ring
 *                   │                                 (false = ring full: stop reading)       │
 *                   │ OutboundQueue per session (ManyToOneRingBuffer) ─▶ socket writes       │
 *                   └──────────────▲───────────────────────────────────────────────────────────┘
 *                                  │ SessionOutbound.offer(sessionId, msg) — any thread, never blocks
 *                           engine dispatch thread
 * </pre>
 *
 * <p>Wire format: every message is a SOFH frame (4-byte big-endian length including the 6-byte
 * header, 2-byte big-endian encoding type {@code 0xEB50} = SBE 1.0 little-endian) around an SBE
 * message of the ringfence schema. A session starts with {@code Logon} (client id + secret) and
 * gets {@code LogonAck}; anything refused gets a {@code Reject} with a {@code RejectCode} and, for
 * session-level problems, a disconnect.
 *
 * <p>What the engine implements: {@link io.ringfence.gateway.InboundHandler},
 * {@link io.ringfence.gateway.SubscriptionHandler}, {@link io.ringfence.gateway.ClientSequences}
 * (optionally {@link io.ringfence.gateway.SessionListener}), bundled in
 * {@link io.ringfence.gateway.GatewayHandlers}. What it calls:
 * {@code io.ringfence.gateway.server.GatewayServer.start} / {@code close} and
 * {@link io.ringfence.gateway.SessionOutbound#offer}.
 */
package io.ringfence.gateway;
