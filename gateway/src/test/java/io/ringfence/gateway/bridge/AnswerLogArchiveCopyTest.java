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
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An answers log whose old files went to the archive ({@code journal.archive}), then found holding answers past the
 * events' journal's end (a journal cut by {@code repair}, a hot copy): the copy made without those answers holds every
 * answer up to the cut in the log's directory, archived ones included, and the log goes on from there (review
 * 2026-12-07: a copy that continued the archived files left the directory empty after a cut at their end, so every
 * later answer was refused, and one cut inside them kept the cut events' answers). Rolled every second: answers 1..5,
 * 6..12 and 13..16 in three files, 1..12 archived.
 */
class AnswerLogArchiveCopyTest {
    @TempDir
    Path root;

    private AnswerLog.Settings settings() throws Exception {
        final Path archive = Files.createDirectories(root.resolve("archive"));
        return (d, sealing) -> JournalConfig.builder(d).rollCycle("TEST_SECONDLY")
                .archiveSubdirectory(archive, AnswerLog.DIRECTORY).build();
    }

    private Path archivedThrough12(final AnswerLog.Settings settings) throws Exception {
        final Path dir = root.resolve("data").resolve(AnswerLog.DIRECTORY);
        try (AnswerLog log = AnswerLog.open(settings, dir, 0)) {
            answer(log, 1, 5);
            Thread.sleep(1_100); // the next answers in another cycle file
            answer(log, 6, 12);
            Thread.sleep(1_100);
            answer(log, 13, 16);
            log.archiveThrough(12);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ArchivedCycles.of(dir).through() < 12 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(12, ArchivedCycles.of(dir).through(), "answers 1..12 archived (their files)");
        return dir;
    }

    @Test
    void shouldKeepAnsweringAfterACutPastTheArchivedAnswers() throws Exception {
        final AnswerLog.Settings settings = settings();
        final Path dir = archivedThrough12(settings);
        try (AnswerLog log = AnswerLog.open(settings, dir, 14)) { // the journal ends at 14: 15 and 16 answer cut events
            answer(log, 13, 14); // a recovery dispatching them again: kept already
            answer(log, 15, 15); // the next event
        }
        assertEquals(range(1, 15), answers(dir));
    }

    @Test
    void shouldKeepAnsweringAfterACutAtTheArchivedAnswersEnd() throws Exception {
        final AnswerLog.Settings settings = settings();
        final Path dir = archivedThrough12(settings);
        try (AnswerLog log = AnswerLog.open(settings, dir, 12)) {
            answer(log, 9, 12); // a recovery from a snapshot at 8: kept already
            answer(log, 13, 13); // the next event, the one that takes sequence 13 now
        }
        assertEquals(range(1, 13), answers(dir));
    }

    @Test
    void shouldLeaveOutTheArchivedAnswersOfCutEvents() throws Exception {
        final AnswerLog.Settings settings = settings();
        final Path dir = archivedThrough12(settings);
        AnswerLog.open(settings, dir, 10).close(); // the journal ends at 10, inside the archived answers
        assertEquals(range(1, 10), answers(dir));
    }

    private static List<Long> range(final long from, final long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** The engine sequences the log's answers answer, in order, numbered 1, 2, ... */
    private static List<Long> answers(final Path dir) {
        final List<Long> answered = new ArrayList<>();
        try (Journal all = Journal.open(JournalConfig.builder(dir).rollCycle("TEST_SECONDLY").forReading().build());
             JournalReader reader = all.reader()) {
            while (reader.next((s, k, source, clientSeq, payload, offset, length) -> {
                assertEquals(answered.size() + 1, s, "numbered 1, 2, ...");
                answered.add(AnswerLog.engineSequence(payload, offset));
            })) {
                // every answer
            }
        }
        return answered;
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
