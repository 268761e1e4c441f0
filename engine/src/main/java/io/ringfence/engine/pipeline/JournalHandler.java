package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.journal.JournalAppender;

/**
 * Journal stage: appends every accepted event, with its header, to the journal. Control slots are
 * skipped. With {@code journal.sync: batch} it has the journal force what it appended before the
 * answers go out: at the end of each batch when dispatch runs on its own thread (dispatch waits
 * for this stage's whole batch), after every event in the {@link Layout#COMBINED} layout (where
 * dispatch of an event follows right after its journaling on the same thread).
 */
final class JournalHandler implements EventHandler<EngineEvent> {
    private final JournalAppender appender;
    private final boolean syncEachEvent;
    private final boolean stageTimes;

    JournalHandler(final JournalAppender appender, final boolean syncEachEvent, final boolean stageTimes) {
        this.appender = appender;
        this.syncEachEvent = syncEachEvent;
        this.stageTimes = stageTimes;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) {
        final boolean appended = event.kind() == EventKind.EVENT;
        if (stageTimes && appended) {
            event.journalStartNanos(System.nanoTime());
        }
        if (appended) {
            appender.append(event.sequence(), event.ingestTimeMicros(), event.sourceId(), event.clientSeq(),
                    event.message(), 0, event.messageLength());
        }
        if (syncEachEvent ? appended : endOfBatch) {
            appender.sync(); // a no-op unless journal.sync is batch
        }
        if (stageTimes && appended) {
            event.journaledNanos(System.nanoTime());
        }
    }
}
