package io.ringfence.tools.run;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.config.GatewayConfigLoader;
import io.ringfence.journal.DataDirectoryLock;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import io.ringfence.tools.cli.Progress;
import org.agrona.ExpandableArrayBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code run}: a whole JSON Lines file through journal and pipeline, in process. Good lines are
 * journaled and processed; each bad line becomes a {@code reject} output with its line number
 * and reason, in order with the other outputs, and the run goes on ({@code --strict} stops at
 * the first, exit 2).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a JSON Lines event file through the journal and the pipeline, in process.",
                "Writes decisions, pushes, window results and rejects (one per bad line) as JSON Lines to --out.",
                "The journal in --data can then be dumped (journal) or re-run (replay)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the whole file was processed (bad lines are rejects, not failures)",
                "1:runtime failure (disk, journal)",
                "2:bad usage, bad configuration, missing input, a data dir that already holds a journal, a bad line with --strict,"
                        + " or no line of the input an event",
                "130/143:stopped by Ctrl-C / SIGTERM: what was read before is journaled, its outputs in --out's .partial file"})
public final class RunCommand implements Callable<Integer> {
    /** Source id of events read from a file (sessions of the gateway have ids from 1). */
    public static final long FILE_SOURCE = 0;

    @Option(names = "--input", required = true, paramLabel = "FILE.jsonl", description = "events, one JSON object per line; - for stdin")
    String input;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory for the journal (must not hold a journal yet)")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "outputs, one JSON object per line; - for stdout")
    String out;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "engine configuration (defaults for anything not set)")
    Path config;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why this configuration is used (a ticket, a line):"
            + " kept with who and when in the recorded configuration's header when it takes effect")
    String reason;

    /** Where this start's configuration came from ({@code --config}, {@code --reason}), once read. */
    private io.ringfence.tools.io.RecordedConfig.Origin origin;

    @Option(names = "--fresh", description = "first delete the journal files (*.cq4, *.cq4t; a server's answers log) already in --data, if any,"
            + " and the snapshots of that journal (snapshot.dir)")
    boolean fresh;

    @Option(names = "--strict", description = "stop at the first bad line (exit 2) instead of rejecting it and going on")
    boolean strict;

    @Override
    public Integer call() throws IOException {
        try {
            origin = new io.ringfence.tools.io.RecordedConfig.Origin(config, io.ringfence.tools.io.RecordedConfig.Origin.reason(reason));
        } catch (final IllegalArgumentException e) {
            System.err.println("ringfence run: " + e.getMessage());
            return RingfenceMain.EXIT_USAGE;
        }
        final EngineConfig engineConfig = EngineConfigLoader.loadValidated(config);
        EngineConfigLoader.warnOfLikelyMistakes(config, engineConfig);
        engineConfig.requireModelFeatures(config);
        io.ringfence.tools.fraud.ModelSettings.warn("run", engineConfig, System.err);
        EngineConfigLoader.checkLiveRing(config, engineConfig); // before --fresh deletes anything
        // run reads no gateway: section, but the same file starts a server on this journal: an unknown key or a
        // wrong type there is said now (values are checked by the server: resolving its addresses needs its network)
        GatewayConfigLoader.load(config);
        if (setsSnapshots(engineConfig)) { // new-user trial LOW: they were ignored without a word
            System.err.println("ringfence run: the snapshot settings of " + config + " are not used: run writes no snapshots"
                    + " (a server does); replay and explain read this journal from its start");
        }
        final Path inputPath = "-".equals(input) ? null : Path.of(input);
        final String unreadable = inputPath == null ? null : OutputFiles.unreadableInput("--input", inputPath);
        if (unreadable != null) {
            System.err.println("ringfence run: " + unreadable);
            return RingfenceMain.EXIT_USAGE;
        }
        String clash = OutputFiles.sameAsInput("--out", out, "--input", inputPath);
        clash = clash != null ? clash : OutputFiles.sameAsAnyOf("--out", out, "--config", config);
        clash = clash != null ? clash : OutputFiles.insideData("--out", out, "--data", data);
        if (clash != null) {
            System.err.println("ringfence run: " + clash);
            return RingfenceMain.EXIT_USAGE;
        }
        if (Files.exists(data) && !Files.isDirectory(data)) {
            System.err.println("ringfence run: --data " + data + " is a file, not a directory");
            return RingfenceMain.EXIT_USAGE;
        }
        // held for the whole run: a server (or another run) on this directory stops here, before --fresh deletes anything
        try (DataDirectoryLock writing = DataDirectoryLock.acquire(data, "run");
             DataDirectoryLock snapshots = fresh // --fresh deletes there too (run itself writes no snapshot)
                     ? DataDirectoryLock.acquireSnapshotDirectory(data, data.resolve(engineConfig.snapshot.dir), "run") : null) {
            io.ringfence.journal.PrivateDirectories.warnIfShared(data, "the journal (customers' ids, IP addresses, card references)");
            return runLocked(engineConfig, inputPath);
        }
    }

    private int runLocked(final EngineConfig engineConfig, final Path inputPath) throws IOException {
        final long existing = fresh ? 0 : existingEvents(data, engineConfig);
        if (existing > 0) {
            System.err.printf("ringfence run: %s already holds a journal of %,d events; add --fresh to delete it and start"
                    + " again, use a new --data directory, or `replay` to re-run that journal%n", data, existing);
            return RingfenceMain.EXIT_USAGE;
        }
        // --out is opened before --fresh deletes anything: an output that cannot be written must not cost the journal
        final OutputStream opened;
        try {
            opened = OutputFiles.openWhole(out, "run"); // an old file stays until the run is through (review)
        } catch (final IOException | io.ringfence.engine.config.ConfigException e) {
            System.err.println("ringfence run: cannot write --out " + out + ": " + e.getMessage()
                    + (fresh ? " (nothing in " + data + " was deleted)" : ""));
            return RingfenceMain.EXIT_USAGE;
        }
        if (fresh) {
            try {
                final io.ringfence.journal.ArchivedCycles archived = io.ringfence.journal.ArchivedCycles.of(data);
                if (!archived.isEmpty()) {
                    // not deleted: an archive is the operator's (nothing of ringfence deletes from it)
                    System.err.printf("ringfence run: --fresh: the deleted journal's %d cycle files in its archive (%s) are"
                            + " not deleted; delete them before the new journal archives files of the same names%n",
                            archived.entries().size(), archived.entries().get(0).file().getParent());
                }
                final io.ringfence.journal.ArchivedCycles answers = io.ringfence.journal.ArchivedCycles.of(
                        data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY));
                if (!answers.isEmpty()) {
                    System.err.printf("ringfence run: --fresh: the deleted answers log's %d cycle files in the archive (%s) are"
                            + " not deleted; delete them before a server's new answers log archives files of the same names%n",
                            answers.entries().size(), answers.entries().get(0).file().getParent());
                }
                deleteJournalFiles(data);
                deleteSnapshots(data.resolve(engineConfig.snapshot.dir)); // they are of the journal just deleted
            } catch (final IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        final long started = System.nanoTime();
        final RunStats stats = new RunStats();
        // Ctrl-C / SIGTERM: the feed stops before its next line and the run ends as at the end of its input (journal
        // closed, summary printed); the JVM exits 130 / 143 once this is done (review: it exited at once, no summary, the
        // outputs of journaled events unflushed)
        final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean stopReading = new java.util.concurrent.atomic.AtomicBoolean();
        // stdin is read through a channel, so a signal can interrupt a read that waits for more (review: `tail -f | run`
        // took the hook's whole 60 s, then exited with no summary and the last outputs unwritten)
        final StdinReading reading = new StdinReading(Thread.currentThread());
        try (io.ringfence.tools.cli.SignalStop stop = new io.ringfence.tools.cli.SignalStop("run", () -> {
                signalled.set(true);
                stopReading.set(true);
                reading.interrupt();
            }, 60_000);
             OutputStream os = opened;
             InputStream in = inputPath == null
                 ? java.nio.channels.Channels.newInputStream(new java.io.FileInputStream(java.io.FileDescriptor.in).getChannel())
                 : Files.newInputStream(inputPath);
             Progress progress = Progress.start("run", inputPath == null ? -1 : Files.size(inputPath) >> 20, "MiB", 1)) {
            final java.util.concurrent.atomic.AtomicBoolean writeFailed = new java.util.concurrent.atomic.AtomicBoolean();
            final JsonLinesSink sink = new JsonLinesSink(os, () -> {
                writeFailed.set(true);
                stopReading.set(true); // what is not read is not journaled without its outputs
            });
            final Engine engine = Engine.journaled(engineConfig, data, sink);
            io.ringfence.tools.io.RecordedConfig.record(data, engineConfig, origin);
            try {
                int exit;
                reading.begin();
                try {
                    exit = feed(engine.pipeline(), in, engineConfig.input, stats, progress, stopReading);
                } catch (final java.nio.channels.ClosedByInterruptException e) {
                    if (!signalled.get()) {
                        throw e;
                    }
                    exit = RingfenceMain.EXIT_OK; // the signal ended a read that waited: the lines before are journaled
                } finally {
                    reading.end();
                }
                engine.pipeline().publishEndOfInput();
                engine.close();
                stats.finish(engine, sink, System.nanoTime() - started);
                if (sink.failure() != null) {
                    OutputFiles.discard(os); // said once, here (review: the close failed again and added three lines)
                    System.err.printf("ringfence run: could not write --out %s (%s): stopped after %,d lines of %s; their %,d"
                            + " events are journaled in %s, their outputs only in part, so nothing of them is kept (replay"
                            + " the journal for them); to run the whole file again, add --fresh%n", out,
                            sink.failure().getMessage(), stats.lines, inputPath == null ? "stdin" : inputPath, stats.accepted, data);
                    return RingfenceMain.EXIT_FAILURE;
                }
                if (exit != RingfenceMain.EXIT_OK) {
                    return exit;
                }
            } finally {
                engine.close();
            }
            progress.close();
            if (signalled.get()) {
                stats.print(System.err, data, out, config);
                System.err.printf("ringfence run: stopped by a signal after %,d lines of %s (the rest was not read): their %,d"
                        + " events are journaled in %s; to run the whole file again, add --fresh%n", stats.lines,
                        inputPath == null ? "stdin" : inputPath, stats.accepted, data);
                return 130;
            }
            OutputFiles.complete(os);
            stats.print(System.err, data, out, config);
            if (stats.accepted == 0 && stats.rejected > 0) {
                // analyst trial: a CSV given as it came (convert forgotten) exited 0 with "0 events journaled"
                System.err.printf("ringfence run: no line of %s is an event (all %,d rejected, reasons above): run expects JSON"
                        + " Lines of events; a dataset file is converted first (ringfence convert --format"
                        + " online-retail|fraud-ecommerce|paysim --input FILE --out EVENTS.jsonl, docs/real-data.md)%n",
                        inputPath == null ? "stdin" : inputPath, stats.rejected);
                return RingfenceMain.EXIT_USAGE;
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    private int feed(final Pipeline pipeline, final InputStream in, final io.ringfence.engine.config.InputConfig limits,
                     final RunStats stats, final Progress progress, final java.util.concurrent.atomic.AtomicBoolean stop)
            throws IOException {
        final ExpandableArrayBuffer reject = new ExpandableArrayBuffer(1024);
        final RejectEncoder rejectEncoder = new RejectEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final JsonLinesFeed.Counts counts = new JsonLinesFeed.Counts();
        final boolean complete;
        try {
            complete = new JsonLinesFeed(limits).stopWhen(stop).feed(pipeline, in, counts, progress,
                    (lineNumber, code, reason) -> {
                        stats.reject(code);
                        if (strict) {
                            System.err.println("ringfence run: " + input + ":" + lineNumber + ": " + code + ": " + reason
                                    + " (stopped by --strict; " + counts.accepted + " events before it were journaled)");
                            return false;
                        }
                        rejectEncoder.wrapAndApplyHeader(reject, 0, header)
                                .seq(-1).clientSeq(lineNumber).code(code).reason(reason);
                        pipeline.publishReject(FILE_SOURCE, lineNumber, reject, 0,
                                MessageHeaderEncoder.ENCODED_LENGTH + rejectEncoder.encodedLength());
                        return true;
                    });
        } finally { // a signal can end the feed with an exception: count what it read
            stats.lines = counts.lines;
            stats.blank = counts.blank;
            stats.accepted = counts.accepted;
        }
        return complete ? RingfenceMain.EXIT_OK : RingfenceMain.EXIT_USAGE;
    }

    static void deleteJournalFiles(final Path data) throws IOException {
        for (final Path f : Journal.files(data)) {
            Files.delete(f);
        }
        Files.deleteIfExists(data.resolve(io.ringfence.journal.JournalSeals.FILE)); // the deleted journal's seals
        io.ringfence.journal.KeyIndex.delete(data); // and the index of its ids
        // the answers a server gave to the deleted journal's events: of sequences the new journal takes again
        final Path answers = data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY);
        if (Files.isDirectory(answers)) {
            try (java.util.stream.Stream<Path> all = Files.walk(answers)) {
                for (final Path f : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
    }

    /** True when {@code c} asks for snapshots otherwise than the defaults do (where they go aside: --fresh uses it). */
    static boolean setsSnapshots(final EngineConfig c) {
        final io.ringfence.engine.config.SnapshotSection d = new EngineConfig().snapshot;
        return c.snapshot.enabled != d.enabled || c.snapshot.everyEvents != d.everyEvents || c.snapshot.retain != d.retain
                || c.snapshot.retainHourly != d.retainHourly || c.snapshot.retainDaily != d.retainDaily
                || io.ringfence.engine.config.Durations.parseMicros("snapshot.everyEventTime", c.snapshot.everyEventTime)
                != io.ringfence.engine.config.Durations.parseMicros("snapshot.everyEventTime", d.everyEventTime)
                || !java.util.Objects.equals(c.snapshot.writer, d.writer);
    }

    /** Deletes the snapshot files (complete, unfinished, set aside) in {@code dir}, if any. */
    static void deleteSnapshots(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && f.getFileName().toString().startsWith(SnapshotDescriptor.PREFIX)) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Events already journaled in {@code data} (0 when it holds no journal). */
    public static long existingEvents(final Path data, final EngineConfig config) {
        if (!Journal.exists(data)) {
            return 0; // and nothing opened: opening would create the journal's metadata with this roll cycle
        }
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(config.journal.rollCycle).forReading().build())) {
            return journal.lastSequence() - journal.firstSequence() + (journal.lastSequence() > 0 ? 1 : 0);
        }
    }

    /** Counters of one run, printed as the closing summary. */
    static final class RunStats {
        long lines;
        long blank;
        long accepted;
        long rejected;
        final Map<RejectCode, Long> rejects = new EnumMap<>(RejectCode.class);
        String engineSummary = "";

        void reject(final RejectCode code) {
            rejected++;
            rejects.merge(code, 1L, Long::sum);
        }

        void finish(final Engine engine, final JsonLinesSink sink, final long nanos) {
            engineSummary = Summaries.engine(engine, sink, accepted, nanos);
        }

        void print(final java.io.PrintStream err, final Path data, final String out, final Path config) {
            err.printf("ringfence run: %,d lines: %,d events journaled, %,d lines rejected%s%n", lines, accepted, rejected,
                    blank > 0 ? String.format(", %,d blank lines skipped", blank) : "");
            if (!rejects.isEmpty()) {
                err.println("  rejects by reason: " + rejects);
            }
            err.print(engineSummary);
            err.println("  journal: " + data + "   outputs: " + out);
            // no --config: replay uses the configuration this run recorded in --data (with it, it would be a what-if)
            err.println("  replay it:  ./ringfence replay --data " + data + " --out replay.jsonl");
            err.println("  dump it:    ./ringfence journal --data " + data + " --limit 10");
        }
    }

    /**
     * Which thread may be interrupted by a signal, and only while it feeds: an interrupt arriving after the feed would
     * stay set and break the engine's close.
     */
    static final class StdinReading {
        private final Thread thread;
        private boolean feeding;

        StdinReading(final Thread thread) {
            this.thread = thread;
        }

        synchronized void begin() {
            feeding = true;
        }

        /** Ends the feed and clears an interrupt a signal left. */
        void end() {
            synchronized (this) {
                feeding = false;
            }
            Thread.interrupted();
        }

        synchronized void interrupt() {
            if (feeding) {
                thread.interrupt();
            }
        }
    }
}
