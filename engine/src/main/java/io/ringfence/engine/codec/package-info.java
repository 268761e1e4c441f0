/**
 * JSON Lines codec (DESIGN §4.1): the human format for importing and exporting events and results.
 *
 * <pre>
 *   JSONL line ──▶ JsonEventParser ──▶ SBE inbound event (Order, Payment, OrderStatus, Inventory, Activity)
 *                        │                     │
 *                        └─▶ ParseResult       └─▶ JsonEventWriter ──▶ the same JSONL (journal dump)
 *                            (RejectCode + reason)
 *   SBE outputs (Decision, Reject, WindowResult, pushes) ──▶ JsonOutputWriter ──▶ JSONL results
 *
 *   SBE inbound event from the gateway ──▶ InboundValidator ──▶ VALID, or RejectCode + reason
 *                                               │
 *   JsonEventParser / FieldReader ──────────────┴──▶ EventRules (one set of value rules and reject words)
 * </pre>
 *
 * Both ways in apply the same rules: anything the parser produces passes the validator, and a
 * value both can carry is refused by both with the same code and reason.
 *
 * Round trip: {@code parse(write(event))} with the event's clientSeq gives byte-identical SBE.
 * Writers are deterministic: the same message always gives the same bytes. Money, time and
 * currency rules live in {@link io.ringfence.engine.model.Money}, {@link io.ringfence.engine.model.Times}
 * and {@link io.ringfence.engine.model.Currencies}. None of these classes is thread-safe; use one
 * instance per thread.
 */
package io.ringfence.engine.codec;
