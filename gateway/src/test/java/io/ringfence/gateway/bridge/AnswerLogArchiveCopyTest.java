package io.ringfence.gateway.bridge;

import io.ringfence.journal.ArchivedCycles;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answers log whose old files went to the archive ({@code journal.archive}), then found holding answers past the
 * events' journal's end (a journal cut by {@code repair}): the copy made without those answers continues the archived
 * files, as a repaired journal continues its own, instead of copying them back into the data directory. Rolled every
 * second: answers 1..5, 6..12 and 13..16 in three files.
 */
class AnswerLogArchiveCopyTest {
    @TempDir
    Path root;

    @Test
    void shouldContinueTheArchivedFilesWhenTheLogIsCopiedWithoutAnswersPastTheJournal() throws Exception {
        final Path dir = root.resolve("data").resolve(AnswerLog.DIRECTORY);
        final Path archive = Files.createDirectories(root.resolve("archive"));
        final AnswerLog.Settings settings = (d, sealing) -> JournalConfig.builder(d).rollCycle("TEST_SECONDLY")
                .archiveSubdirectory(archive, AnswerLog.DIRECTORY).build();
        try (AnswerLog log = AnswerLog.open(settings, dir, 0)) {
            answer(log, 1, 5);
            Thread.sleep(1_100); // the next answers in another cycle file
            answer(log, 6, 12);
            Thread.sleep(1_100); // the next answers in another cycle file
            answer(log, 13, 16);
            log.archiveThrough(12);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ArchivedCycles.of(dir).through() < 12 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(12, ArchivedCycles.of(dir).through(), "answers 1..12 archived (their files)");

        AnswerLog.open(settings, dir, 14).close(); // the journal now ends at 14: answers 15 and 16 are of cut events
        try (Journal kept = Journal.open(settings.of(dir, false))) {
            assertEquals(13, kept.firstSequence(), "the copy holds 13.. in the directory; 1..12 stay in the archive");
            assertEquals(14, kept.lastSequence());
        }
        assertEquals(12, ArchivedCycles.of(dir).movedThrough(), "the copy's record of the archived files");
        assertEquals(2, ArchivedCycles.of(dir).entries().size());
        final List<Long> answered = new ArrayList<>();
        try (Journal all = Journal.open(JournalConfig.builder(dir).rollCycle("TEST_SECONDLY").forReading().build());
             JournalReader reader = all.reader()) {
            while (reader.next((s, k, source, clientSeq, payload, offset, length) -> {
                assertEquals(answered.size() + 1, s, "numbered 1, 2, ... across the archive and the directory");
                answered.add(AnswerLog.engineSequence(payload, offset));
            })) {
                // every answer
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L), answered);
    }

    /** Keeps an answer (a message carrying its engine sequence where a Decision does) to each of {@code from..to}. */
    private static void answer(final AnswerLog log, final long from, final long to) {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[AnswerLog.ENGINE_SEQ_OFFSET + Long.BYTES]);
        for (long seq = from; seq <= to; seq++) {
            message.putLong(AnswerLog.ENGINE_SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
            log.answered(seq, 7, seq, message, 0, message.capacity());
        }
    }
}
