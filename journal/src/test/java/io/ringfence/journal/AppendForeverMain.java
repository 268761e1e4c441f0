package io.ringfence.journal;

import java.nio.file.Path;

/**
 * A child process for {@link JournalKillNineTest}: opens the journal in the directory given, prints
 * {@code READY <next sequence>}, then appends the test records from there until it is killed.
 */
public final class AppendForeverMain {
    private AppendForeverMain() {
    }

    public static void main(final String[] args) {
        try (Journal journal = Journal.open(JournalConfig.of(Path.of(args[0])))) {
            final JournalAppender appender = journal.appender();
            long next = journal.lastSequence() + 1;
            System.out.println("READY " + next);
            System.out.flush();
            while (true) {
                Records.append(appender, next++);
            }
        }
    }
}
