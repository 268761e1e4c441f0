package io.ringfence.tools.journal;

import io.ringfence.engine.codec.JsonEventWriter;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.tools.io.JournalEnds;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code journal}: dumps journaled events as JSON Lines (the input format plus seq, ingestTime, clientSeq and client). */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = {"Dumps the journal in --data as JSON Lines, from any sequence.",
                "Each event is written in the input format of `run`, prefixed with its",
                "engine sequence (seq), the time it was journaled (ingestTime), the sender's client sequence (clientSeq; the input line for run)",
                "and the gateway client that sent it (client: its id as server and demo recorded it, else its key; none for run)."},
        footerHeading = "%nDamaged journals:%n",
        footer = {"A record that does not verify (CRC32C, header) stops the dump with exit 1",
                "and a message naming its sequence, Chronicle index and .cq4 file.",
                "--skip-damaged reports each such record on stderr and goes on after it.",
                "A journal whose last record was cut mid-write is dumped up to the last",
                "complete record, with a warning naming the cut one (exit 0).",
                "Safe to run while a server is writing --data."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok (also with a damaged last record, warned on stderr)",
                "1:runtime failure (e.g. a damaged journal record)", "2:bad usage or no journal in --data"})
public final class JournalCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--from", defaultValue = "1", paramLabel = "SEQ", description = "first engine sequence to dump (default ${DEFAULT-VALUE}); with --answers the first answer (its place in the log)")
    String fromText;

    private long from;

    @Option(names = "--limit", defaultValue = "-1", paramLabel = "N", description = "dump at most N events (answers with --answers; default: all)")
    long limit;

    @Option(names = "--skip-damaged", description = "report a record that does not verify on stderr and go on after it (default: stop, exit 1)")
    boolean skipDamaged;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE.jsonl", description = "output file, - for stdout (default)")
    String out;

    @Option(names = "--answers", description = "dump the answers the server gave instead (DATA/answers, journal.keepAnswers):"
            + " each as sent, with its place in that log (answer), when it was kept (keptAt) and the client; --from and --limit"
            + " count answers")
    boolean answers;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence journal: " + data + (java.nio.file.Files.exists(data) ? ": not a directory (--data names the data directory a run or server wrote)" : ": no such data directory"));
            return RingfenceMain.EXIT_USAGE;
        }
        try {
            from = Long.parseLong(fromText.trim());
        } catch (final NumberFormatException e) {
            // analyst trial: a date here got picocli's "'2015-09-15' is not a long" and no way on
            System.err.println("ringfence journal: --from is an engine sequence (a number >= 1), not '" + fromText + "'; for the"
                    + " outputs of a time range use `ringfence replay --data " + data + " --from TIME --to TIME`, for the events"
                    + " filter this command's JSON Lines on their \"time\"");
            return RingfenceMain.EXIT_USAGE;
        }
        if (from < 1) {
            System.err.println("ringfence journal: --from must be >= 1, got " + from);
            return RingfenceMain.EXIT_USAGE;
        }
        if (limit < -1) {
            System.err.println("ringfence journal: --limit must be a number of events >= 0 (leave it out, or -1, for all), got " + limit);
            return RingfenceMain.EXIT_USAGE;
        }
        final String clash = OutputFiles.insideData("--out", out, "--data", data);
        if (clash != null) {
            System.err.println("ringfence journal: " + clash);
            return RingfenceMain.EXIT_USAGE;
        }
        final Path dir = answers ? data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY) : data;
        if (!Journal.exists(dir)) {
            System.err.println("ringfence journal: " + (answers ? io.ringfence.tools.io.GivenAnswers.absence(data)
                    : data + " holds no events")); // checked before opening, which writes
            return RingfenceMain.EXIT_USAGE;
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).rollCycle(recordedRollCycle()).forReading().build());
             JournalReader reader = journal.reader()) {
            if (journal.lastSequence() == 0) {
                System.err.println("ringfence journal: " + data + " holds no events");
                return RingfenceMain.EXIT_USAGE;
            }
            if (from > journal.lastSequence()) {
                System.err.printf("ringfence journal: --from %,d is past the %s end: %s holds %s %,d..%,d%n",
                        from, answers ? "answers log's" : "journal's", dir, answers ? "answers" : "sequences",
                        journal.firstSequence(), journal.lastSequence());
                return RingfenceMain.EXIT_USAGE;
            }
            // opened only now: a refused command must not have emptied the file it names (trial)
            try (OutputStream os = OutputFiles.openWhole(out, "journal")) {
                final JsonEventWriter writer = new JsonEventWriter();
                final io.ringfence.engine.codec.JsonOutputWriter answerWriter = new io.ringfence.engine.codec.JsonOutputWriter();
                answerWriter.rejectsNameClientSeq(true);
                final java.util.Map<Long, String> clients = new java.util.HashMap<>(io.ringfence.tools.io.ClientNames.load(data, System.err));
                final JournalRecordHandler dump = (seq, ingest, source, clientSeq, payload, offset, length) -> {
                    try {
                        // the sending client: its id as the server recorded it, or its key; none for a file's events (run)
                        final String client = source == io.ringfence.tools.run.RunCommand.FILE_SOURCE ? null
                                : clients.computeIfAbsent(source, io.ringfence.tools.io.ClientNames::hex);
                        if (answers) {
                            os.write((io.ringfence.tools.io.GivenAnswers.line(answerWriter, payload, offset, seq, ingest, client) + "\n")
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        } else {
                            writer.write(payload, offset, seq, ingest, clientSeq, client, os);
                        }
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                long n = 0;
                long skipped = 0;
                if (seekFrom(reader, journal.lastSequence())) {
                    while (limit < 0 || n < limit) {
                        try {
                            if (!reader.next(dump)) {
                                JournalEnds.warn("journal", reader);
                                break;
                            }
                            n++;
                        } catch (final JournalCorruptException e) {
                            if (!skipDamaged || e.sequence() < 1) {
                                throw e;
                            }
                            skipped++;
                            System.err.println("ringfence journal: skipped: " + e.getMessage());
                            final long last = journal.lastSequence();
                            final long resumed = seekPast(reader, e.sequence(), last);
                            skipped += Math.max(0, (resumed < 0 ? last + 1 : resumed) - e.sequence() - 1);
                            if (resumed < 0) {
                                break;
                            }
                        }
                    }
                }
                if (skipped > 0) {
                    System.err.printf("ringfence journal: %,d events dumped, %,d damaged records skipped%n", n, skipped);
                }
                OutputFiles.complete(os);
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    /**
     * The roll cycle the directory's recorded configuration names (a journal keeps the one it was
     * created with; opening it under another made Chronicle and the journal warn three times,
     * soak trial), or the default when none is recorded or it does not read.
     */
    private String recordedRollCycle() {
        try {
            return io.ringfence.tools.io.RecordedConfig.load(data, null, false).journal.rollCycle;
        } catch (final RuntimeException e) { // a recorded file this version refuses, a model moved away: the dump does not need them
            return io.ringfence.engine.config.EngineConfigLoader.defaults().journal.rollCycle; // the dump does not need it
        }
    }

    /** Seeks to {@code --from}; with {@code --skip-damaged} one that cannot be reached goes on at the next that can. */
    private boolean seekFrom(final JournalReader reader, final long last) {
        try {
            return reader.seek(from);
        } catch (final JournalException e) {
            if (!skipDamaged) {
                throw e;
            }
            System.err.println("ringfence journal: skipped: " + e.getMessage());
            return seekPast(reader, from, last) > 0;
        }
    }

    /**
     * Seeks to the first record after {@code damaged} that can be found, and says which sequences could not: after a
     * block of zeros (a page lost on disk) Chronicle finds no record by scanning, only from its next index entry on, so
     * the records between cannot be reached. Returns the sequence the reader goes on at, or -1 past the end.
     */
    private static long seekPast(final JournalReader reader, final long damaged, final long last) {
        final long first = damaged + 1;
        if (first > last) {
            return -1;
        }
        final String unreachable;
        try {
            return reader.seek(first) ? first : -1;
        } catch (final JournalException e) {
            unreachable = e.getMessage();
        }
        // the first record reachable again (Chronicle's next index entry): found by doubling steps, then halving, not one
        // sequence at a time (each failed seek scans from the last index entry: a lost index page hides thousands)
        long bad = first;
        long good = -1;
        for (long step = 1; good < 0; step *= 2) {
            final long probe = Math.min(last, bad + step);
            if (reachable(reader, probe)) {
                good = probe;
            } else if (probe == last) {
                System.err.printf("ringfence journal: skipped: sequences %,d..%,d cannot be reached after the damage (%s)%n",
                        first, last, unreachable);
                return -1;
            } else {
                bad = probe;
            }
        }
        while (good - bad > 1) {
            final long mid = (bad + good) >>> 1;
            if (reachable(reader, mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        reader.seek(good);
        System.err.printf("ringfence journal: skipped: sequences %,d..%,d cannot be reached after the damage (%s); going on at %,d%n",
                first, good - 1, unreachable, good);
        return good;
    }

    /** Whether the reader can be positioned at {@code sequence} (it is, if so). */
    private static boolean reachable(final JournalReader reader, final long sequence) {
        try {
            return reader.seek(sequence);
        } catch (final JournalException e) {
            return false;
        }
    }
}
