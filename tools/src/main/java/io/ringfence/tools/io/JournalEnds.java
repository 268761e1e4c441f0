package io.ringfence.tools.io;

import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalReader;

/**
 * What the commands that read a journal to its end say when it ends in a record cut mid-write: a
 * warning on stderr naming the record (sequence, Chronicle index, file) and why, after every complete
 * record has been read. Damage before the end is not a warning: the reader throws it, and the command
 * stops with exit 1 and the same kind of message.
 */
public final class JournalEnds {
    private JournalEnds() {
    }

    /**
     * Call once {@code reader.next} has returned false.
     *
     * @return the sequence of the last record read before a damaged tail, or -1 at a clean end
     * @throws JournalCorruptException if complete records hide behind an unfinished write
     */
    public static long warn(final String command, final JournalReader reader) {
        final JournalCorruptException end = reader.checkEnd();
        if (end == null) {
            return -1;
        }
        System.err.println("ringfence " + command + ": warning: " + end.getMessage());
        System.err.println("ringfence " + command + ": read up to sequence " + (end.sequence() - 1)
                + ", the last complete record; nothing after it was used");
        return end.sequence() - 1;
    }
}
