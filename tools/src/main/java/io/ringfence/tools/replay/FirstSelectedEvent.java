package io.ringfence.tools.replay;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalReader;

/**
 * The first journal event whose outputs a {@link OutputSelection} writes, found by reading the
 * journal without running the engine (several million records a second). Everything before it
 * may come from a snapshot instead of being replayed: no output of an earlier event is written.
 */
final class FirstSelectedEvent {
    /** Returned when no event of the journal is selected. */
    static final long NONE = Long.MAX_VALUE;

    private FirstSelectedEvent() {
    }

    /** The sequence of the first selected event at or after {@code first}, or {@link #NONE}. */
    static long find(final Journal journal, final long first, final OutputSelection selection) {
        final CausingEvents events = new CausingEvents(64);
        final long[] found = {NONE};
        try (JournalReader reader = journal.reader()) {
            reader.seek(first);
            while (found[0] == NONE && reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                events.record(seq, payload, offset);
                if (selection.selectsOutputsOf(seq, events)) {
                    found[0] = seq;
                }
            })) {
                // up to the first selected event
            }
        }
        return found[0];
    }
}
