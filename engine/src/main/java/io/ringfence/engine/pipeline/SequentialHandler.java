package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;

/**
 * The {@link Layout#COMBINED} layout: journal, business and dispatch for one event on one
 * thread, in that order. The "dispatch after journal" rule holds trivially.
 */
final class SequentialHandler implements EventHandler<EngineEvent> {
    private final EventHandler<EngineEvent>[] stages;

    @SafeVarargs
    SequentialHandler(final EventHandler<EngineEvent>... stages) {
        this.stages = stages;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) throws Exception {
        for (final EventHandler<EngineEvent> stage : stages) {
            stage.onEvent(event, ringSequence, endOfBatch);
        }
    }
}
