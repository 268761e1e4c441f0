package io.ringfence.gateway.bridge;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps an {@link AnswerLog} whole before it is written: a log whose last record is torn, or that holds answers to
 * sequences after the events' journal's end, is copied without them into {@code answers.copying}, marked complete, and
 * put in the log's place, the original set aside beside it with its seals; a start stopped between those moves is
 * finished by the next. Start-up only.
 */
final class AnswerLogCopy {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerLogCopy.class);

    private AnswerLogCopy() {
    }

    /**
     * Copies the log in {@code dir} without a torn last record and without answers to sequences after {@code journalLast},
     * when it has either, and sets the original aside; nothing when it has neither.
     */
    static void keepWhole(final AnswerLog.Settings settings, final Path dir, final long journalLast) {
        final Path copy = dir.resolveSibling(AnswerLog.DIRECTORY + ".copying");
        if (Files.isDirectory(dir) && Files.exists(copy)) { // a copy a start left behind (stopped while copying): stale
            try {
                deleteTree(copy);
            } catch (final IOException e) {
                LOG.warn("cannot delete {}, a copy of the answers log a start left: {}", copy, e.toString());
            }
        }
        if (!Files.exists(dir) && Files.isRegularFile(copy.resolve(COPY_COMPLETE))) { // a crash between the two moves below
            try {
                Files.move(copy, dir);
                Files.delete(dir.resolve(COPY_COMPLETE));
                LOG.warn("the answers log {}: the copy a start made of it (its original set aside beside it) is now put in its"
                        + " place, as that start was stopped before it", dir);
            } catch (final IOException e) {
                throw new JournalException("the answers log " + dir + " is missing and its complete copy " + copy + " cannot be"
                        + " put in its place (" + e + "): move it there by hand", e);
            }
        }
        if (!Journal.exists(dir)) {
            return;
        }
        String why = null;
        boolean torn = false;
        try (Journal journal = Journal.open(JournalConfig.builder(dir).rollCycle(settings.of(dir, false).rollCycle())
                .forReading().build())) {
            if (journal.tornTail() != null) {
                torn = true;
                why = "its last record is torn (" + journal.tornTail().getMessage() + ")";
            } else if (AnswerLog.lastAnswered(journal) > journalLast) {
                why = "it holds answers to engine sequences up to " + AnswerLog.lastAnswered(journal) + ", after the journal's end at "
                        + journalLast + " (cut by `ringfence repair`, lost to a power failure under journal.sync: none, or a copy"
                        + " of the directory taken while its server ran, which copied the journal before the answers: docs/operations.md"
                        + " \"Backups\")";
            }
        } catch (final JournalException e) {
            why = "it does not open (" + e.getMessage() + ")";
        }
        if (why == null) {
            return;
        }
        try {
            deleteTree(copy); // a copy a crash left
            final long[] copied = {0, 0};
            // the archived answers (journal.archive) are read and copied with the directory's, back into it: the log's
            // directory must hold its last answer (a copy that continued the archived files left it empty after a cut at
            // their end, and every answer after was refused; one inside them kept the cut events' answers: review
            // 2026-12-07); the archived files stay in the archive, named by the original set aside
            try (Journal from = Journal.open(JournalConfig.builder(dir).rollCycle(settings.of(dir, false).rollCycle())
                    .forReading().build());
                 JournalReader reader = from.reader();
                 Journal to = Journal.open(settings.of(copy, false))) {
                final JournalAppender appender = to.appender();
                final boolean[] done = {false};
                try {
                    while (!done[0] && reader.next((seq, kept, source, clientSeq, payload, offset, length) -> {
                        if (AnswerLog.engineSequence(payload, offset) > journalLast) {
                            done[0] = true;
                            return;
                        }
                        appender.append(seq, kept, source, clientSeq, payload, offset, length);
                        copied[0] = seq;
                        copied[1] = AnswerLog.engineSequence(payload, offset);
                    })) {
                        // copies up to the first answer after the journal's end, or the torn record
                    }
                } catch (final JournalException e) { // damage before the end: the copy keeps what precedes it
                    LOG.warn("the answers log {} is damaged after answer {}: the copy ends there ({})", dir, copied[0], e.getMessage());
                }
            }
            if (Files.isRegularFile(dir.resolve(AnswerLog.FROM_FILE))) {
                Files.copy(dir.resolve(AnswerLog.FROM_FILE), copy.resolve(AnswerLog.FROM_FILE));
            }
            for (final long[] gap : AnswerGaps.of(dir)) { // cut at the journal's end: new events take the sequences after it (review)
                if (gap[0] <= journalLast) {
                    AnswerGaps.append(copy, "off from=" + gap[0] + " why=" + gap[2]);
                    AnswerGaps.append(copy, "on from=" + (Math.min(gap[1], journalLast) + 1));
                }
            }
            if (torn) { // the torn answer, and whatever came after the last whole one, are not known: not re-kept as given
                final Long logFrom = AnswerLog.readFrom(dir);
                final long gapFrom = copied[1] > 0 ? copied[1] + 1 : logFrom == null ? 1 : logFrom;
                if (gapFrom <= journalLast) {
                    AnswerGaps.append(copy, "off from=" + gapFrom + " why=2");
                    AnswerGaps.append(copy, "on from=" + (journalLast + 1));
                }
            }
            Files.writeString(copy.resolve(COPY_COMPLETE), "the copy of " + dir + " is complete\n");
            Path aside = dir.resolveSibling(AnswerLog.SET_ASIDE_PREFIX + STAMP.format(java.time.Instant.now()));
            for (int n = 2; Files.exists(aside); n++) {
                aside = dir.resolveSibling(AnswerLog.SET_ASIDE_PREFIX + STAMP.format(java.time.Instant.now()) + "." + n);
            }
            Files.move(dir, aside);
            Files.move(copy, dir);
            Files.delete(dir.resolve(COPY_COMPLETE));
            LOG.warn("the answers log {}: {}; answers 1..{} (to engine sequence {}) copied into a new log (sealed as found at"
                    + " its next seal), the original set aside as {} with its seals (`ringfence verify --data {}` checks them)",
                    dir, why, copied[0], copied[1], aside, aside);
        } catch (final IOException e) {
            throw new JournalException("the answers log " + dir + ": " + why + ", and it cannot be copied without that ("
                    + e + "): move it away, or set journal.keepAnswers: false", e);
        }
    }

    /** In a finished copy, until it is in the log's place. */
    private static final String COPY_COMPLETE = "COPY-COMPLETE";

    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

    private static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (final Path f : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }
}
