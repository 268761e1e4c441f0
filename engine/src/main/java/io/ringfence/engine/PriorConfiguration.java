package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;

/**
 * The configuration that decided a journal's events up to its end before this start (a server's recorded one), and
 * the first sequence it decided. A start under another configuration re-decides the journal under the new rules,
 * but what the clients were sent stays what they were sent: the events a kill -9 left after the old configuration's
 * newest snapshot are decided again under this one for the answers kept for resends and the push history.
 *
 * @param config        validated, its model loadable
 * @param firstSequence the first journal sequence it decided (1 when it decided the whole journal)
 */
public record PriorConfiguration(EngineConfig config, long firstSequence) {
}
