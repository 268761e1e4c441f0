package io.ringfence.tools.replay;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalReader;

/**
 * Where the events whose outputs an {@link OutputSelection} writes begin and end, found by reading
 * the journal without running the engine (several million records a second). Everything before
 * the first may come from a snapshot instead of being replayed; nothing after the last needs
 * replaying, since an output's time is that of the event that caused it.
 */
final class SelectedEvents {
    /** Returned when no event of the journal is selected. */
    static final long NONE = Long.MAX_VALUE;

    private SelectedEvents() {
    }

    /** The sequence of the first selected event at or after {@code first}, or {@link #NONE}. */
    static long first(final Journal journal, final long first, final OutputSelection selection) {
        final CausingEvents events = new CausingEvents(64);
        final long[] found = {NONE};
        try (JournalReader reader = journal.reader()) {
            reader.seek(first);
            while (found[0] == NONE && reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                events.record(seq, ingest, source, clientSeq, payload, offset);
                if (selection.mayStartAt(seq, events)) {
                    found[0] = seq;
                }
            })) {
                // up to the first selected event
            }
            if (found[0] == NONE) {
                reader.checkEnd(); // read to the end: damage in the middle is thrown, not taken for "nothing selected"
            }
        }
        return found[0];
    }

    /**
     * The sequence of the last event at or after {@code first} whose event time is inside the
     * selection's {@code --from}/{@code --to} range, or {@link #NONE} when none is: no output of a
     * later event is written (whatever its user or order, an output is written only when the event
     * that caused it is in the range), so a replay can stop there. Reads to the journal's end.
     */
    static long lastInTime(final Journal journal, final long first, final OutputSelection selection) {
        final CausingEvents events = new CausingEvents(64);
        final long[] found = {NONE};
        try (JournalReader reader = journal.reader()) {
            reader.seek(first);
            while (reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                events.record(seq, ingest, source, clientSeq, payload, offset);
                if (selection.inTime(seq, events)) {
                    found[0] = seq;
                }
            })) {
                // every event to the end: event times are in arrival order, not sorted
            }
            // an unfinished write in the middle (complete records after it) is thrown, as a replay reaching it throws; a
            // cut tail is not (the replay that reads to it warns)
            reader.checkEnd();
        }
        return found[0];
    }
}
