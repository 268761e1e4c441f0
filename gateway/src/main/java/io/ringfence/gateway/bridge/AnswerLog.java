package io.ringfence.gateway.bridge;

import io.ringfence.gateway.ThrottledWarning;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalReader;
import io.ringfence.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The answers the server gave, kept server-side: every {@code Decision}, and every {@code Reject} of a journaled event,
 * as the bytes sent, once per engine sequence, in engine order, in {@code DATA/answers} (a journal of its own, sealed as
 * the events' journal is). Replay re-decides from the events; this is what the build then running actually answered,
 * so an answer can be shown as given and a replay checked against it ({@code replay --diff-answers}).
 *
 * <p>Each record: its own sequence (1, 2, ...), the wall-clock time it was kept (microseconds), the client's id and
 * sequence, and the answer's SBE message (which carries the engine sequence it answers). An answer is kept before it is
 * sent, the first time the dispatch stage gives it: live, or while recovery rebuilds what a kill -9 left undispatched
 * (an answer to an event the log already holds is not kept again). {@link #FROM_FILE} says from which engine sequence
 * the log holds answers: a log begun on a journal that had events holds none for them.
 *
 * <p>A write that fails (a full disk) is counted and logged, never thrown: the answer still goes out. Dispatch thread
 * (and recovery before it); allocation-free in steady state.
 */
public final class AnswerLog implements AutoCloseable {
    /** The log's directory in the data directory. */
    public static final String DIRECTORY = "answers";
    /** In the log's directory: {@code from=N}, the first engine sequence whose answer the log holds. */
    public static final String FROM_FILE = "answers-from.txt";
    /** Where an answer's engine sequence lies in its message: the first field of both Decision and Reject. */
    public static final int ENGINE_SEQ_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(AnswerLog.class);
    private static final VarHandle KEPT = field("kept", long.class);
    private static final VarHandle FAILURES = field("failures", long.class);

    private final Journal journal;
    private final JournalAppender appender;
    private final long from;
    private final ThrottledWarning failureWarning = new ThrottledWarning(10_000_000_000L);
    private long next;
    /** The highest engine sequence whose answer is kept: later ones are kept, earlier ones were. */
    private long keptThrough;
    private long kept;
    private long failures;
    /** The first engine sequence of a run of answers that could not be kept, 0 while they are. */
    private long notKeptFrom;

    private AnswerLog(final Journal journal, final long from, final long keptThrough) {
        this.journal = journal;
        this.appender = journal.appender();
        this.from = from;
        this.keptThrough = keptThrough;
        this.next = journal.lastSequence() + 1;
    }

    /** The settings of a log in a directory: sealing as configured, or not (a copy the writer's next open seals). */
    @FunctionalInterface
    public interface Settings {
        JournalConfig of(Path directory, boolean sealing);
    }

    /**
     * Opens (creating if needed) the log in {@code dir} for the server of a journal whose last event is
     * {@code journalLast}. A log whose last record is torn (a power loss), or that holds answers to sequences the journal
     * no longer has (cut by {@code repair}, or lost with a power loss), is first copied without them, the original set
     * aside beside it ({@link #SET_ASIDE_PREFIX}), both named in a WARN. Answers given while none were kept
     * ({@link #markNotKept}, or a failed write) are recorded as a gap ({@link AnswerGaps}), not kept now as given.
     */
    public static AnswerLog open(final Settings settings, final Path dir, final long journalLast) {
        final JournalConfig config = settings.of(dir, true);
        AnswerLogCopy.keepWhole(settings, dir, journalLast);
        final Journal journal;
        try {
            journal = Journal.open(config);
        } catch (final JournalException e) {
            throw new JournalException("the answers log " + dir + " does not open (" + e.getMessage() + "): move it away, or set"
                    + " journal.keepAnswers: false to start without it", e);
        }
        try {
            journal.claimWriter("answers log");
            try {
                journal.appender(); // refused below journal.minFreeMiB: said as the answers log's, not the journal's
            } catch (final JournalException e) {
                throw new JournalException("the answers log " + dir + " cannot be written (" + e.getMessage() + "); its"
                        + " record numbers are answers, not events: free disk space, or set journal.keepAnswers: false to start"
                        + " without it", e);
            }
            final long logged = lastAnswered(journal);
            final boolean begun = !Files.isRegularFile(dir.resolve(FROM_FILE));
            final long from = from(dir, logged > 0 ? 1 : journalLast + 1);
            if (begun && from > 1) { // SRE backup trial: a copy without answers/ lost its log without a word
                LOG.warn("the answers log {} is begun now, on a journal of {} events: the answers given to engine sequences 1..{}"
                        + " are not in it (journal.keepAnswers turned on now, a journal older than the log, or a copy of the"
                        + " directory made without its answers/: then the original's answers/ still holds them)", dir,
                        from - 1, from - 1);
            }
            long through = logged > 0 ? Math.min(logged, journalLast) : from - 1;
            final long[] open = AnswerGaps.open(dir);
            if (open != null) { // answered without being kept, from open[0] to the journal's end: not kept now as given
                AnswerGaps.append(dir, "on from=" + (journalLast + 1));
                if (open[0] <= journalLast) {
                    LOG.warn("the answers to engine sequences {}..{} were given without being kept ({}): recorded as not kept"
                            + " in {}", open[0], journalLast, AnswerGaps.why(new long[]{open[0], journalLast, open[1]}), dir.resolve(AnswerGaps.FILE));
                }
            }
            for (final long[] gap : AnswerGaps.of(dir)) { // at every start, not only the one that closes it (review: the next re-kept them)
                through = Math.max(through, Math.min(gap[1], journalLast));
            }
            LOG.info("answers log {}: {} answers, answering engine sequences {}..{}", dir, journal.lastSequence(), from, through);
            return new AnswerLog(journal, from, through);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** The directory-name prefix of a log set aside by {@link #open} (its copy without the damage or the cut answers kept). */
    public static final String SET_ASIDE_PREFIX = DIRECTORY + ".set-aside-";
    /**
     * Records, in an existing log's directory, that the answers to engine sequences after its last answer kept (and after
     * any gap recorded) are given without being kept, by a start with journal.keepAnswers: false on a journal ending at
     * {@code journalLast}, whose cut answers it first sets aside ({@link AnswerLogCopy}): the next start that keeps them
     * records the gap instead of keeping, as given, the answers its recovery re-decides. Nothing when there is no log, or
     * a gap is open already.
     */
    public static void markNotKept(final Settings settings, final Path dir, final long journalLast) {
        if (!Files.isDirectory(dir) && !Files.isDirectory(dir.resolveSibling(DIRECTORY + ".copying"))) {
            return;
        }
        AnswerLogCopy.keepWhole(settings, dir, journalLast); // a cut journal's answers go aside now: new events take their sequences
        if (!Files.isDirectory(dir) || AnswerGaps.open(dir) != null) {
            return;
        }
        long from = journalLast + 1;
        if (Journal.exists(dir)) { // from the last answer kept: a kill -9's unanswered tail is answered now, not kept
            try (Journal journal = Journal.open(JournalConfig.builder(dir).rollCycle(settings.of(dir, false).rollCycle())
                    .forReading().build())) {
                final long logged = lastAnswered(journal);
                from = Math.min(from, logged > 0 ? logged + 1 : from);
            }
        }
        for (final long[] gap : AnswerGaps.of(dir)) { // not over a gap recorded already (review: overlapping lines)
            from = Math.max(from, Math.min(gap[1], journalLast) + 1);
        }
        AnswerGaps.append(dir, "off from=" + from + " why=0");
    }

    /** The engine sequence the log's last record answers, 0 when it holds none. */
    public static long lastAnswered(final Journal journal) {
        final long last = journal.lastSequence();
        if (last == 0) {
            return 0;
        }
        final long[] seq = {0};
        try (JournalReader reader = journal.reader()) {
            reader.seek(last);
            reader.next((s, ingest, source, clientSeq, payload, offset, length) -> seq[0] = engineSequence(payload, offset));
        }
        return seq[0];
    }

    /** The engine sequence an answer's message ({@code Decision} or {@code Reject}) answers. */
    public static long engineSequence(final DirectBuffer message, final int offset) {
        return message.getLong(offset + ENGINE_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The first engine sequence the log in {@code dir} holds answers from ({@link #FROM_FILE}), written as
     * {@code otherwise} when absent; 1 for a log without the file that holds answers.
     */
    private static long from(final Path dir, final long otherwise) {
        final Path file = dir.resolve(FROM_FILE);
        if (Files.isRegularFile(file)) {
            final Long read = readFrom(dir);
            if (read != null) {
                return read;
            }
            LOG.warn("{} does not say from=N: taken as from={}", file, otherwise);
        }
        try {
            final Path tmp = dir.resolve(FROM_FILE + ".tmp");
            Files.writeString(tmp, "from=" + otherwise + "\n", StandardCharsets.US_ASCII);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new JournalException("cannot write " + file + ": " + e, e);
        }
        return otherwise;
    }

    /** The {@code from=N} of the log in {@code dir}, or null when the file is missing or says no such thing. */
    public static Long readFrom(final Path dir) {
        try {
            final String text = Files.readString(dir.resolve(FROM_FILE), StandardCharsets.US_ASCII).trim();
            if (text.startsWith("from=")) {
                final long n = Long.parseLong(text.substring(5).trim());
                return n >= 1 ? n : null;
            }
        } catch (final IOException | NumberFormatException e) {
            // null: the caller says what it takes instead
        }
        return null;
    }

    /**
     * Keeps the answer {@code message} to engine sequence {@code engineSeq} from client {@code sourceId}'s
     * {@code clientSeq}, unless an answer to it is kept already.
     */
    public void answered(final long engineSeq, final long sourceId, final long clientSeq, final DirectBuffer message,
                         final int offset, final int length) {
        if (engineSeq <= keptThrough) {
            return;
        }
        try {
            appender.append(next, System.currentTimeMillis() * 1_000L, sourceId, clientSeq, message, offset, length);
            next++;
            keptThrough = engineSeq;
            KEPT.setRelease(this, kept + 1);
            force(engineSeq);
            if (notKeptFrom > 0) { // kept again: the gap closes before this answer (rare: allocates)
                AnswerGaps.append(journal.directory(), "on from=" + engineSeq);
                notKeptFrom = 0;
            }
        } catch (final JournalException e) {
            if (notKeptFrom == 0) { // said in the log's directory, so that a restart does not keep its re-decision as given
                notKeptFrom = engineSeq;
                AnswerGaps.append(journal.directory(), "off from=" + engineSeq + " why=1");
            }
            FAILURES.setRelease(this, failures + 1);
            final long now = System.nanoTime();
            if (failureWarning.occurred(now)) {
                LOG.error("the answer to engine sequence {} is not kept in the answers log ({}); it is sent all the same{}",
                        engineSeq, e.getMessage(), failureWarning.quietSinceLast() == 0 ? ""
                                : " (" + failureWarning.quietSinceLast() + " more not kept since the last such line)");
                failureWarning.logged(now);
            }
        }
    }

    /**
     * journal.sync: batch forces the answer to disk before it is sent, as its event was; else nothing. A force that fails
     * leaves the answer kept (appended) but not forced: counted and logged, the log goes on.
     */
    private void force(final long engineSeq) {
        try {
            appender.sync();
        } catch (final JournalException e) {
            FAILURES.setRelease(this, failures + 1);
            final long now = System.nanoTime();
            if (failureWarning.occurred(now)) {
                LOG.error("the answer to engine sequence {} is kept in the answers log but not forced to disk ({})", engineSeq,
                        e.getMessage());
                failureWarning.logged(now);
            }
        }
    }

    /**
     * Moves, in the background, the log's cycle files whose answers all answer engine sequences at or before
     * {@code engineSequence} (never the last file) to the archive's {@code answers} subdirectory, as the events' journal
     * moves the files of those events ({@code journal.archive}; nothing without it). Every reader of the log reads them
     * from there. The snapshot writer's thread: the last such answer is found by a binary search on a reader of its own.
     */
    public void archiveThrough(final long engineSequence) {
        if (journal.config().archiveDirectory() == null) {
            return;
        }
        try {
            final long through = lastAnsweringAtOrBefore(engineSequence);
            if (through > 0) {
                journal.archiveThrough(through);
            }
        } catch (final JournalException e) { // closed meanwhile (a stop), or a record that does not read: the next snapshot tries
            LOG.debug("answers log {}: not archived through engine sequence {} ({})", journal.directory(), engineSequence,
                    e.getMessage());
        }
    }

    /** The log's last record (its own sequence) answering an engine sequence at or before {@code engineSequence}; 0: none. */
    private long lastAnsweringAtOrBefore(final long engineSequence) {
        long lo = journal.firstSequence();
        long hi = journal.lastSequence();
        if (lo == 0) {
            return 0;
        }
        final long[] answered = {0};
        long found = 0;
        try (JournalReader reader = journal.reader()) {
            while (lo <= hi) { // answers are kept in engine order: the engine sequences rise with the log's
                final long mid = (lo + hi) >>> 1;
                answered[0] = Long.MAX_VALUE;
                if (reader.seek(mid)) {
                    reader.next((s, kept, source, clientSeq, payload, offset, length) -> answered[0] = engineSequence(payload, offset));
                }
                if (answered[0] <= engineSequence) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
        }
        return found;
    }

    /** The first engine sequence whose answer the log holds. */
    public long from() {
        return from;
    }

    /** Answers kept since the start. Any thread. */
    public long kept() {
        return (long) KEPT.getAcquire(this);
    }

    /** Answers that could not be kept since the start. Any thread. */
    public long failures() {
        return (long) FAILURES.getAcquire(this);
    }

    /** The log's directory. */
    public Path directory() {
        return journal.directory();
    }

    @Override
    public void close() {
        journal.close();
    }

    private static VarHandle field(final String name, final Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(AnswerLog.class, name, type);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
