package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.journal.JournalAppender;

/** Journal stage: appends every accepted event, with its header, to the journal. Control slots are skipped. */
final class JournalHandler implements EventHandler<EngineEvent> {
    private final JournalAppender appender;

    JournalHandler(final JournalAppender appender) {
        this.appender = appender;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) {
        if (event.kind() == EventKind.EVENT) {
            appender.append(event.sequence(), event.ingestTimeMicros(), event.sourceId(), event.clientSeq(),
                    event.message(), 0, event.messageLength());
        }
    }
}
