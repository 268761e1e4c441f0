package io.ringfence.engine.pipeline;

import io.ringfence.engine.snapshot.OutputState;

/**
 * An output sink whose state goes into snapshots (the gateway's answers for resends) and that
 * can make an unconnected twin of itself: the output side of a snapshot replica
 * ({@code snapshot.writer: replica}), which must hold the same state after the same outputs
 * without sending anything to anyone.
 */
public interface StatefulSink extends OutputSink, OutputState {
    /** A new, empty sink of the same kind that records state from outputs and sends nothing. */
    StatefulSink twin();
}
