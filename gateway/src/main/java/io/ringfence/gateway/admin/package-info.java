/**
 * The admin HTTP endpoint for operations, off the hot path: Prometheus metrics ({@code /metrics},
 * every value a callback read at scrape time) and a health check ({@code /health}).
 *
 * <pre>
 *   scrape ──HTTP──▶ ringfence-admin thread ──reads──▶ GatewayCounters, EngineIngress, GatewaySink,
 *                                                      DispatchMetrics (interval histogram), Pipeline,
 *                                                      SnapshotAgent, Engine.Recovery
 * </pre>
 */
package io.ringfence.gateway.admin;
