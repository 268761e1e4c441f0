package io.ringfence.tools.replay;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.journal.Journal;
import io.ringfence.journal.snapshot.SnapshotStore;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.io.JournalEnds;
import io.ringfence.tools.io.OutputFiles;
import io.ringfence.tools.io.RecordedConfig;
import io.ringfence.tools.run.Summaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code replay}: re-runs a journal through a fresh engine (no journal stage: the events are
 * already journaled) and writes its outputs, all of them or a selection; or, with {@code --diff},
 * re-decides the history under two configurations at once and lists the decisions that change.
 * The state behind each output is the one the original run had: every event goes through the
 * engine from the first, or, when the filters select events (time, user, order), from the newest
 * snapshot taken before the first selected one (snapshot + tail equals the whole journal, DESIGN §7).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-runs the journal in --data through a fresh engine and writes its outputs.",
                "Same configuration => the same outputs, byte for byte, as the run that wrote",
                "the journal, without the rejects of refused input lines (never journaled);",
                "the engine's own rejects of journaled events (an order status change",
                "that is not allowed, of an unknown order) are outputs like any other. The",
                "configuration is the one recorded in --data unless --config is given.",
                "",
                "Filters choose which outputs are written. With --from, --to, --user or",
                "--order the replay starts from the newest snapshot in --data taken before",
                "the first selected event (same configuration and model; --full: from the",
                "first event), and the outputs are those a replay from the first event",
                "writes. With --from/--to it stops after the last event in that range.",
                "An output's time is that of the event that caused it (its seq);",
                "its user and order are its own where it names them (a timer's push such",
                "as UNPAID_OVERDUE belongs to its order), else the causing event's; a",
                "windowResult or anomalyAlert has none (an interval that closed), nor a",
                "trendingPush list (a category's; a cart promotion is its user's): --user",
                "and --order never select them (--type and their \"key\" or \"category\" do).",
                "",
                "--config OTHER.yaml --diff re-decides the whole history under OTHER and",
                "under the recorded configuration at once, lists exactly the decisions whose",
                "outcome changes, then a summary (decisions compared, changed, per",
                "transition) on stdout (stderr with --out -).",
                ""},
        footerHeading = "%nOutput columns:%n",
        footer = {"JSONL: the engine's outputs as `run` writes them.",
                "CSV (a header line, RFC 4180 quoting):",
                "  " + OutputRow.CSV_HEADER,
                "  decision and score only for decision and fraudAlert; reasons joined by |: their",
                "  reasons, a reject's code and reason, an orderStatusPush's status, a windowResult's",
                "  or anomalyAlert's window: key, a trendingPush's window (: category for a list);",
                "  time is the causing event's own, ingestTime when the engine took it (journaled);",
                "  amount (major units, as the events' JSON) and currency of the causing order or",
                "  payment; client (a gateway client's id, empty for a run's input file) and",
                "  clientSeq (its sequence, a run's input line) of the causing event;",
                "  configuration: the one the replay decided it under (a file, or defaults), and",
                "  configurationSha256, the SHA-256 of that file (its seal names it)",
                "--diff JSONL, one line per changed decision:",
                "  {\"type\":\"decisionChange\",\"seq\":..,\"time\":..,\"orderId\":..,[\"paymentId\":..,]",
                "   \"userId\":..,\"before\":{\"decision\":..,\"score\":..,\"reasons\":[..]},\"after\":{..}}",
                "  (\"scoreChange\" and \"reasonsChange\" lines too with --show-score-changes)",
                "--diff CSV:",
                "  seq,time,change,orderId,paymentId,userId,",
                "  beforeDecision,beforeScore,beforeReasons,afterDecision,afterScore,afterReasons",
                "",
                "Damaged journals: a record that does not verify stops the replay (exit 1,",
                "naming its sequence, Chronicle index and file); a last record cut mid-write",
                "ends it with a warning (exit 0). Safe while a server is writing --data: it",
                "replays what is journaled when it gets there."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure (e.g. a damaged journal record)",
                "2:bad usage, bad configuration or no journal in --data"})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
            description = "where the outputs (or the diff) go; - for stdout (default)")
    String out;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|csv",
            description = "jsonl (default) or csv (columns below)")
    String format;

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "engine configuration (default: the one recorded in --data by the run that wrote it, else the defaults)")
    Path config;

    @Option(names = "--diff", description = "with --config: compare every decision under --config with the recorded configuration's")
    boolean diff;

    @Option(names = "--diff-answers", description = "compare every decision the replay gives with the one the server gave"
            + " (DATA/answers, journal.keepAnswers) and list each that differs in outcome, score or reasons; exit 1 if any"
            + " differs or is missing on one side. With --config: what-if against what was given")
    boolean diffAnswers;

    @Option(names = "--show-score-changes", description = "with --diff: also list decisions whose outcome stays but whose score or reasons change")
    boolean showScoreChanges;

    @Option(names = "--from", paramLabel = "TIME", description = "only outputs of events at or after TIME (ISO-8601 with Z, an offset or a [Region], or yyyy-MM-dd = 00:00Z)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "only outputs of events before TIME (exclusive; same forms)")
    String to;

    @Option(names = "--ingest-from", paramLabel = "TIME", description = "only outputs of events the engine took (journaled)"
            + " at or after TIME, whatever their event time (same forms as --from)")
    String ingestFrom;

    @Option(names = "--ingest-to", paramLabel = "TIME", description = "only outputs of events the engine took before TIME"
            + " (exclusive)")
    String ingestTo;

    @Option(names = "--user", paramLabel = "ID", description = "only outputs of this user's events")
    String user;

    @Option(names = "--order", paramLabel = "ID", description = "only outputs of events of this order (its order, payments and status changes) or payment id")
    String order;

    @Option(names = "--full", description = "re-run every event from the journal's first, even when a snapshot could stand for the part before the first selected event")
    boolean full;

    @Option(names = "--type", split = ",", paramLabel = "TYPE",
            description = "only these output types (comma-separated or repeated): decision, fraudAlert, windowResult, orderStatusPush, stockPush, anomalyAlert, trendingPush, reject (the engine's own, of order status changes)")
    List<String> types;

    @Override
    public Integer call() throws IOException {
        final ReplaySink.Format outputFormat;
        final OutputSelection selection;
        try {
            outputFormat = ReplaySink.Format.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT));
            selection = OutputSelection.of(from, to, ingestFrom, ingestTo, user, order, types);
        } catch (final IllegalArgumentException e) {
            return usage(e.getMessage().startsWith("No enum") ? "--format '" + format + "' is not jsonl or csv" : e.getMessage());
        }
        if (diff && config == null) {
            return usage("--diff needs --config OTHER.yaml: the configuration to compare with the recorded one");
        }
        if (diffAnswers && diff) {
            return usage("--diff compares two configurations, --diff-answers a replay with the answers given: one at a time");
        }
        if (diffAnswers && types != null && !(types.size() == 1 && "decision".equals(types.get(0).trim()))) {
            return usage("--diff-answers compares decisions; --type can only be decision");
        }
        if (showScoreChanges && !diff && !diffAnswers) {
            return usage("--show-score-changes goes with --diff");
        }
        if (diff && types != null && !(types.size() == 1 && "decision".equals(types.get(0).trim()))) {
            return usage("--diff compares decisions; --type can only be decision");
        }
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence replay: " + data + (java.nio.file.Files.exists(data) ? ": not a directory (--data names the data directory a run or server wrote)" : ": no such data directory"));
            return RingfenceMain.EXIT_USAGE;
        }
        String clash = OutputFiles.insideData("--out", out, "--data", data);
        clash = clash != null ? clash : OutputFiles.sameAsAnyOf("--out", out, "--config", config);
        if (clash != null) {
            return usage(clash);
        }
        if (!Journal.exists(data)) { // checked before opening, which would create Chronicle's metadata file in it, and
            // before the recorded configuration's warnings (trial: "no configuration is recorded" came first)
            return noEvents();
        }
        final EngineConfig after = RecordedConfig.load(data, config);
        final EngineConfig before = diff ? RecordedConfig.load(data, null) : null;
        final String whatIf = config == null ? "" : RecordedConfig.whatIf(data, config, after);
        final String caveat = RecordedConfig.caveat(data); // the recorded configuration is the one re-deciding (or the diff's "before")
        // a diff's "before", and a plain replay, take each range's own configuration (a journal decided under several)
        if (config == null && !caveat.isEmpty() && RecordedConfig.history(data).isEmpty()) {
            System.err.print("ringfence replay: " + caveat);
        }
        final long started = System.nanoTime();
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(after.journal.rollCycle).forReading().build());
             JournalReader reader = journal.reader()) {
            final long first = journal.firstSequence();
            final long last = journal.lastSequence();
            if (last == 0) {
                return noEvents();
            }
            // a journal decided under several configurations is replayed as decided: each range under its own, from the start
            final boolean asDecided = !diff && config == null && !RecordedConfig.history(data).isEmpty();
            final boolean fromSnapshot = !diff && !diffAnswers && !full && config == null && selection.filtersEvents() && !asDecided;
            // with a user or order, from that id's first event whatever the time filter: a timer's push about an
            // order comes later than the order, caused by any event; else the first event in the time range
            final long firstSelected = fromSnapshot || selection.filtersIds()
                    ? SelectedEvents.first(journal, first, selection.filtersIds() ? selection.idsOnly() : selection) : first;
            if (firstSelected == SelectedEvents.NONE && selection.filtersIds()) {
                journal.requireFrom(1, "replay of " + selection.idsOnly().describe() + " (not in the events readable here)");
                // as explain does: an id that is not in the journal is a mistake to report, not an empty result
                System.err.printf("ringfence replay: no event in the journal of %s (%,d events, seq %,d..%,d) is of %s%n",
                        data, last - first + 1, first, last, selection.idsOnly().describe());
                return RingfenceMain.EXIT_USAGE;
            }
            // an output is written only when the event that caused it is in the time range: the replay stops after
            // the last such event (a range in the journal's past needs no replay of the days after it)
            final long lastInTime = !selection.filtersTime() ? last
                    : firstSelected == SelectedEvents.NONE ? SelectedEvents.NONE : SelectedEvents.lastInTime(journal, firstSelected, selection);
            final long end = lastInTime == SelectedEvents.NONE ? first - 1 : Math.min(last, lastInTime);
            if (lastInTime == SelectedEvents.NONE && !diff && !diffAnswers) { // with --full or --config too (review)
                // no event in the time range: an empty answer, without restoring a snapshot for nothing (analyst trial:
                // "0 events (seq 19,186..19,185) ... after its snapshot of seq 19,185")
                try (OutputStream os = OutputFiles.openWhole(out, "replay")) {
                    new ReplaySink(os, outputFormat, selection, null).onEndOfInput(first - 1); // a CSV's header, as ever
                    OutputFiles.complete(os);
                }
                System.err.printf("ringfence replay: no event of %s (%,d events, seq %,d..%,d) is in the time range (%s): nothing"
                        + " to replay, 0 outputs written%n", data, last - first + 1, first, last, selection.describe());
                return 0;
            }
            int ringSize = Math.max(after.pipeline.ringSize, before == null ? 0 : before.pipeline.ringSize);
            if (asDecided) { // an older range's engine runs as far ahead of its outputs as its own ring allows (review)
                for (final DecidedBy range : DecidedBy.ranges(data, first, Math.max(first, end), after)) {
                    ringSize = Math.max(ringSize, range.config().pipeline.ringSize);
                }
            }
            final boolean needEvents = diff || diffAnswers || outputFormat == ReplaySink.Format.CSV || !selection.selectsAll();
            final CausingEvents events = needEvents ? new CausingEvents(ringSize) : null;
            try (OutputStream os = OutputFiles.openWhole(out, "replay")) {
                if (diff) {
                    return diff(reader, first, end, last, before, after, selection, events, os, outputFormat, started, whatIf);
                }
                if (diffAnswers) {
                    return diffAnswers(reader, first, end, last, after, selection, events, os, outputFormat, started, whatIf);
                }
                System.err.print(whatIf);
                final ReplaySink sink = new ReplaySink(os, outputFormat, selection, events).onFailure(() -> outputFailed.set(true));
                if (outputFormat == ReplaySink.Format.CSV) {
                    final Path decider = config != null ? config : RecordedConfig.source(data, null);
                    sink.clientNames(io.ringfence.tools.io.ClientNames.load(data, System.err))
                            .configuration(decider);
                }
                if (asDecided) {
                    return replayAsDecided(journal, reader, first, end, last, after, selection, events, os, sink, started);
                }
                try (Engine engine = fromSnapshot
                        ? Engine.replayingFromSnapshot(after, data, journal, last, Math.min(last, firstSelected - 1), sink, null)
                        : Engine.replaying(after, first, sink)) {
                    journal.requireFrom(engine.restoredSequence() + 1, "replay"); // archived events not readable here
                    final long start = Math.max(first, engine.restoredSequence() + 1);
                    final long events0 = start > end ? 0 : feed(reader, start, end, last, events, engine.pipeline(), null);
                    final boolean endOfInput = end == last && !writtenByServer(journal, last);
                    if (endOfInput) { // `run`'s end of input closed the last windows: outputs of the journal's last event
                        engine.pipeline().publishEndOfInput();
                    }
                    engine.close();
                    if (sink.failure() != null) {
                        OutputFiles.discard(os); // said once, here
                        System.err.printf("ringfence replay: could not write --out %s (%s): stopped after %,d events (seq %,d..%,d);"
                                + " nothing of the output is kept%n", out, sink.failure().getMessage(), events0, start,
                                engine.pipeline().lastSequence());
                        return RingfenceMain.EXIT_FAILURE;
                    }
                    OutputFiles.complete(os);
                    System.err.printf("ringfence replay: %,d events (seq %,d..%,d) from %s%s; %,d of %,d outputs written (%s)%s%n",
                            events0, start, engine.pipeline().lastSequence(), data,
                            engine.restoredSequence() > 0 ? " after its snapshot of seq " + String.format("%,d", engine.restoredSequence())
                                : fromSnapshot && after.snapshot.enabled && firstSelected - 1 > first
                                ? " (" + SnapshotStore.whyNoneBefore(data.resolve(after.snapshot.dir), Math.min(last, firstSelected - 1)) + ")" : "",
                            sink.written(), sink.produced(), selection.describe(), stoppedEarly(end, last)
                            + (end == last && !endOfInput ? "; windows still open at the journal's last event are left open,"
                                + " as the server has them (their results come with later events)" : ""));
                    System.err.print(Summaries.engine(engine, sink, events0, System.nanoTime() - started));
                }
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    /**
     * A journal a server wrote under more than one configuration (restarted under other settings): each range of it is
     * re-decided by an engine under the configuration that decided it, replaying from the journal's start as the server
     * did at that restart, and only that range's outputs are written, so the decisions are those that were sent
     * (analyst trial: the README's list of a day's declines re-decided everything under the newest rules and listed a
     * decline the shop was never sent, the order approved under the rules of then).
     */
    private int replayAsDecided(final Journal journal, final JournalReader reader, final long first, final long end,
                                final long last, final EngineConfig current, final OutputSelection selection,
                                final CausingEvents events, final OutputStream os,
                                final ReplaySink sink, final long started) throws IOException {
        final java.util.List<DecidedBy> ranges = DecidedBy.ranges(data, first, end, current);
        final StringBuilder note = new StringBuilder(String.format(java.util.Locale.ROOT, "ringfence replay: the journal was"
                + " written under %d configurations; each range is re-decided under the one that decided it, as sent, each from the"
                + " journal's first event (replay uses no snapshot for a journal decided under several configurations; `explain`"
                + " of one order can start from a kept snapshot of the configuration that decided it):%n",
                RecordedConfig.history(data).size() + 1));
        for (final DecidedBy range : ranges) {
            note.append(String.format(java.util.Locale.ROOT, "  sequences %,d..%,d: %s%n", range.from(), range.to(),
                    range.file() == null ? "the defaults" : range.file()));
        }
        System.err.print(note);
        final boolean endOfInput = end == last && !writtenByServer(journal, last);
        long n = 0;
        reader.journal().requireFrom(1, "replay"); // each range's engine runs from the first event
        for (int i = 0; i < ranges.size() && !outputFailed.get(); i++) {
            final DecidedBy range = ranges.get(i);
            sink.configuration(range.file());
            final OutputSink only = (seq, source, clientSeq, buffer, offset, length) -> {
                if (seq >= range.from() && seq <= range.to()) {
                    sink.onOutput(seq, source, clientSeq, buffer, offset, length);
                }
            };
            try (Engine engine = Engine.replaying(range.config(), first, only)) {
                if (range.from() > first) { // the state this configuration had reached when it took over
                    feed(reader, first, range.from() - 1, last, events, engine.pipeline(), null);
                }
                n += feed(reader, range.from(), range.to(), last, events, engine.pipeline(), null);
                if (i == ranges.size() - 1 && endOfInput) {
                    engine.pipeline().publishEndOfInput();
                }
                engine.close();
            }
        }
        sink.onEndOfInput(end);
        if (sink.failure() != null) {
            OutputFiles.discard(os);
            System.err.printf("ringfence replay: could not write --out %s (%s): stopped after %,d events; nothing of the output is"
                    + " kept%n", out, sink.failure().getMessage(), n);
            return RingfenceMain.EXIT_FAILURE;
        }
        OutputFiles.complete(os);
        System.err.printf("ringfence replay: %,d events (seq %,d..%,d) from %s, each range under the configuration that decided"
                + " it (%d); %,d of %,d outputs written (%s)%s in %.1f s%n", n, first, first + n - 1, data, ranges.size(),
                sink.written(), sink.produced(), selection.describe(), stoppedEarly(end, last)
                + (end == last && !endOfInput ? "; windows still open at the journal's last event are left open, as the"
                + " server has them (their results come with later events)" : ""), (System.nanoTime() - started) / 1e9);
        // what was written, as decided; the engines' own counts (late events, fraud, repeats) are each of one range's
        // configuration over the whole prefix, so none is the journal's (review LOW: this summary had no counts at all)
        System.err.print(Summaries.outputs(sink));
        return RingfenceMain.EXIT_OK;
    }

    /**
     * A data directory with no event: a run of an empty input (its configuration recorded) replays to an empty output,
     * as the run wrote one (trial: `run` of an empty file suggested `replay`, which refused, so `replay && cmp` failed);
     * any other directory is refused.
     */
    private int noEvents() throws IOException {
        if (!Files.isRegularFile(data.resolve(RecordedConfig.FILE))) {
            System.err.println("ringfence replay: " + data + " holds no journal (no events)");
            return RingfenceMain.EXIT_USAGE;
        }
        try (OutputStream os = OutputFiles.openWhole(out, "replay")) {
            OutputFiles.complete(os);
        }
        System.err.println("ringfence replay: " + data + " holds no events (a run of an empty input): nothing to replay"
                + ("-".equals(out) ? "" : "; " + out + " is empty"));
        return RingfenceMain.EXIT_OK;
    }

    /** Says where a replay stopped before the journal's end, and why. */
    /**
     * Whether a server wrote the journal's last event (a gateway client's, not a {@code run}'s input line): its windows were
     * never closed by an end of input, so a replay that closes them at the journal's end prints results the server never
     * had, with partial counts (analyst audit: 130 windowResults at a live server's last journaled event, every one unlike
     * the result its window later closed with). Read from the record, not from files beside it (review: a server with
     * configured clients writes no credentials file, and a journal copied for analysis may come without it).
     */
    static boolean writtenByServer(final Journal journal, final long last) {
        final long[] source = {io.ringfence.tools.run.RunCommand.FILE_SOURCE};
        try (JournalReader reader = journal.reader()) {
            reader.seek(last);
            reader.next((seq, ingest, src, clientSeq, payload, offset, length) -> source[0] = src);
        }
        return source[0] != io.ringfence.tools.run.RunCommand.FILE_SOURCE;
    }

    private static String stoppedEarly(final long end, final long last) {
        if (end >= last) {
            return "";
        }
        if (end < 1) { // trial: "events after seq 0 (to 5,000) are outside" read as if some were inside
            return String.format("; none of the journal's events (to seq %,d) is in the time range", last);
        }
        return String.format("; the journal's events after seq %,d (to %,d) are outside the time range: not replayed",
                end, last);
    }

    /**
     * For a range decided under more than one configuration, which decided what: the header compares the what-if with
     * the last only (audit: "has the same settings and model as ..." read as if no decision could change).
     */
    static String decidersNote(final java.util.List<DecidedBy> decidedBy) {
        if (decidedBy.size() < 2) {
            return "";
        }
        final StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "the events compared were decided"
                + " under %d configurations (a comparison above is with the last one); each \"before\" is as its own decided it:%n",
                decidedBy.size()));
        for (final DecidedBy range : decidedBy) {
            sb.append(String.format(java.util.Locale.ROOT, "  sequences %,d..%,d: %s%n", range.from(), range.to(),
                    range.file() == null ? "the defaults" : range.file()));
        }
        return sb.toString();
    }

    private int diff(final JournalReader reader, final long first, final long end, final long last, final EngineConfig before,
                     final EngineConfig after, final OutputSelection selection, final CausingEvents events,
                     final OutputStream os, final ReplaySink.Format outputFormat, final long started,
                     final String whatIf) throws IOException {
        final DecisionDiff decisions = new DecisionDiff(os, outputFormat, selection, events, showScoreChanges)
                .onFailure(() -> outputFailed.set(true));
        // "before" is what was sent: each decision under the configuration in effect for it (a server restarted under
        // another configuration kept the old one in config-history); one engine per configuration, each replaying the
        // journal from its start (a start under new settings re-decides the whole journal under them) and counted for its
        // range only (trial: the newest alone stood in for all, and 20 % of decisions read as changed that had not)
        final java.util.List<DecidedBy> decidedBy = DecidedBy.ranges(data, first, end, before);
        final Path lastDecider = decidedBy.get(decidedBy.size() - 1).file();
        final String comparedWith = (lastDecider == null || lastDecider.equals(RecordedConfig.source(data, null)) ? whatIf
                : RecordedConfig.whatIf(data, lastDecider, config, after)) // the settings that decided the range compared
                + decidersNote(decidedBy);
        reader.journal().requireFrom(1, "replay --diff"); // history is re-decided from its first event
        long n = 0;
        try (Engine afterEngine = Engine.replaying(after, first, decisions.sink(false))) {
            for (final DecidedBy range : decidedBy) {
                try (Engine beforeEngine = Engine.replaying(range.config(), first, decisions.sink(true, range.from(), range.to()))) {
                    if (range.from() > first) { // the state this configuration had reached when it took over
                        feed(reader, first, range.from() - 1, last, events, beforeEngine.pipeline(), null);
                    }
                    n += feed(reader, range.from(), range.to(), last, events, beforeEngine.pipeline(), afterEngine.pipeline());
                    beforeEngine.pipeline().publishEndOfInput();
                    beforeEngine.close(); // drained: its decisions are in before the next range's
                }
            }
            afterEngine.pipeline().publishEndOfInput();
            afterEngine.close();
        }
        decisions.flush();
        if (decisions.failure() != null) {
            OutputFiles.discard(os); // said once, here
            System.err.printf("ringfence replay --diff: could not write --out %s (%s): stopped after %,d events (seq %,d..%,d);"
                    + " nothing of the output is kept%n", out, decisions.failure().getMessage(), n, first, first + n - 1);
            return RingfenceMain.EXIT_FAILURE;
        }
        OutputFiles.complete(os);
        final Path recorded = RecordedConfig.source(data, null);
        final PrintStream summary = "-".equals(out) ? System.err : System.out;
        summary.printf("ringfence replay --diff: %,d events (seq %,d..%,d) of %s re-decided under both configurations in %.1f s%s%n",
                n, first, first + n - 1, data, (System.nanoTime() - started) / 1e9, stoppedEarly(first + n - 1, last));
        summary.print(comparedWith);
        summary.print(decisions.summary(DecidedBy.describe(decidedBy, recorded == null ? "defaults" : recorded.toString()),
                config.toString()));
        if (!"-".equals(out)) {
            summary.println("changes written to " + out);
        }
        return decisions.unmatched() == 0 ? RingfenceMain.EXIT_OK : RingfenceMain.EXIT_FAILURE;
    }

    /**
     * The replay's decisions against the answers the server gave ({@link AnswerFeed}): "before" is what was given,
     * "after" the replay, under each range's own recorded configuration (or --config for all), from the journal's first
     * event; only events from the log's first answered sequence on are compared.
     */
    private int diffAnswers(final JournalReader reader, final long first, final long end, final long last,
                            final EngineConfig after, final OutputSelection selection, final CausingEvents events,
                            final OutputStream os, final ReplaySink.Format outputFormat, final long started,
                            final String whatIf) throws IOException {
        final Path dir = data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY);
        if (!Journal.exists(dir)) {
            OutputFiles.discard(os);
            System.err.println("ringfence replay --diff-answers: " + io.ringfence.tools.io.GivenAnswers.absence(data)
                    + ": nothing to compare with");
            return RingfenceMain.EXIT_USAGE;
        }
        final Long fromFile = io.ringfence.gateway.bridge.AnswerLog.readFrom(dir);
        final long answeredFrom = fromFile == null ? 1 : fromFile;
        final long lo = Math.max(first, answeredFrom);
        final DecisionDiff decisions = new DecisionDiff(os, outputFormat, selection, events, true)
                .onFailure(() -> outputFailed.set(true));
        final java.util.List<long[]> gaps = io.ringfence.gateway.bridge.AnswerGaps.of(dir);
        final java.util.List<DecidedBy> ranges = config == null ? DecidedBy.ranges(data, first, end, after)
                : java.util.List.of(new DecidedBy(first, end, config, after));
        reader.journal().requireFrom(1, "replay --diff-answers"); // each range's engine runs from the first event
        long n = 0;
        final AnswerFeed given;
        try (Journal answers = Journal.open(JournalConfig.builder(dir).rollCycle(after.journal.rollCycle).forReading().build());
             JournalReader answerReader = answers.reader()) {
            // every answer kept is compared, in a gap too: a gap excuses an answer missing from the log, never hides a kept
            // one (review: gaps copied past a cut journal's end, or lines added to the unsealed gaps file, hid differences)
            given = new AnswerFeed(answerReader, decisions.sink(true, lo, end));
            for (final DecidedBy range : ranges) {
                try (Engine engine = Engine.replaying(range.config(), first, decisions.sink(false, Math.max(lo, range.from()),
                        range.to()))) {
                    if (range.from() > first) {
                        feed(reader, first, range.from() - 1, last, events, engine.pipeline(), null, null);
                    }
                    n += feed(reader, range.from(), range.to(), last, events, engine.pipeline(), null, given::through);
                    engine.close(); // drained: its decisions are in before the next range's
                }
            }
            given.through(end);
        }
        final long excused = decisions.excuse(false, seq -> inGap(gaps, seq)); // re-decided, given without being kept
        decisions.flush();
        if (decisions.failure() != null) {
            OutputFiles.discard(os);
            System.err.printf("ringfence replay --diff-answers: could not write --out %s (%s); nothing of the output is kept%n",
                    out, decisions.failure().getMessage());
            return RingfenceMain.EXIT_FAILURE;
        }
        OutputFiles.complete(os);
        final PrintStream summary = "-".equals(out) ? System.err : System.out;
        summary.printf("ringfence replay --diff-answers: %,d events (seq %,d..%,d) of %s re-decided in %.1f s and compared from"
                        + " seq %,d with the %,d answers the server kept%s%n", n, first, first + n - 1, data,
                (System.nanoTime() - started) / 1e9, lo, given.handed(), stoppedEarly(first + n - 1, last));
        if (answeredFrom > first) {
            summary.printf("the answers log begins at seq %,d (%s: kept from the first start of a build with it): the"
                    + " decisions before it were given without being kept%n", answeredFrom, dir.resolve(
                    io.ringfence.gateway.bridge.AnswerLog.FROM_FILE));
        }
        for (final String gap : io.ringfence.tools.io.GivenAnswers.gapLines(data)) {
            summary.println("given without being kept: answers to " + gap);
        }
        if (excused > 0) {
            summary.printf("re-decided in those gaps, with no answer kept to compare (not counted as a difference): %,d%n", excused);
        }
        summary.print(whatIf);
        if (ranges.size() > 1) {
            summary.printf("the replay re-decided each range under the configuration that decided it:%n");
            for (final DecidedBy range : ranges) {
                summary.printf("  sequences %,d..%,d: %s%n", range.from(), range.to(), range.file() == null ? "the defaults" : range.file());
            }
        }
        final Path recorded = RecordedConfig.source(data, null);
        summary.print(decisions.summary("given, " + dir, config != null ? config.toString()
                : "replay, " + DecidedBy.describe(ranges, recorded == null ? "defaults" : recorded.toString())));
        final String onlyGiven = decisions.unmatchedSide(true);
        final String onlyReplayed = decisions.unmatchedSide(false);
        if (!onlyGiven.isEmpty()) {
            summary.println("given but not re-decided: " + onlyGiven);
        }
        if (!onlyReplayed.isEmpty()) {
            summary.println("re-decided but not in the answers log: " + onlyReplayed + " (not answered before the server"
                    + " stopped, or lost from the log with a torn record)");
        }
        if (given.rejects() > 0) {
            summary.printf("rejects kept (of journaled events: not compared, the decisions are): %,d%n", given.rejects());
        }
        if (given.repeated() > 0) {
            summary.printf("%,d answers in the log repeat an engine sequence kept before them (the journal was cut and the"
                    + " sequences taken again): the first kept was compared%n", given.repeated());
        }
        final boolean same = decisions.differing() == 0 && decisions.unmatched() == 0;
        summary.println(!same ? "the replay does NOT give every answer as given"
                : decisions.compared() == 0 ? "no decision to compare: the answers log holds none in the range replayed"
                : "the replay gives every answer as given");
        if (!"-".equals(out)) {
            summary.println("differences written to " + out);
        }
        return same ? RingfenceMain.EXIT_OK : RingfenceMain.EXIT_FAILURE;
    }

    private static boolean inGap(final java.util.List<long[]> gaps, final long seq) {
        for (final long[] gap : gaps) {
            if (seq >= gap[0] && seq <= gap[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Feeds every record from {@code first} to {@code end} to one pipeline or two; returns how many.
     * Warns about a cut tail when it reads to the journal's end ({@code end == last}); a replay that
     * stops before it does not use the tail.
     */
    private long feed(final JournalReader reader, final long first, final long end, final long last, final CausingEvents events,
                      final Pipeline a, final Pipeline b) {
        return feed(reader, first, end, last, events, a, b, null);
    }

    /** The same, telling {@code fed} each record's sequence once it is published, or null. */
    private long feed(final JournalReader reader, final long first, final long end, final long last, final CausingEvents events,
                      final Pipeline a, final Pipeline b, final java.util.function.LongConsumer fed) {
        final long[] count = {0};
        final boolean[] done = {false};
        final JournalRecordHandler handler = (seq, ingest, source, clientSeq, payload, offset, length) -> {
            done[0] = end < last && seq >= end; // to the journal's end: until the reader says so (a cut tail is warned about)
            if (events != null) {
                events.record(seq, ingest, source, clientSeq, payload, offset);
            }
            a.publishAt(seq, ingest, source, clientSeq, payload, offset, length);
            if (b != null) {
                b.publishAt(seq, ingest, source, clientSeq, payload, offset, length);
            }
            if (fed != null) {
                fed.accept(seq);
            }
            count[0]++;
        };
        try (Progress progress = Progress.start(b == null ? "replay" : "replay --diff", end - first + 1, "events", 1)) {
            reader.seek(first);
            while (!done[0] && !outputFailed.get() && reader.next(handler)) {
                if ((count[0] & 0xfff) == 0) { // every 4,096 events: the bar moves on short journals too
                    progress.stepTo(count[0]);
                }
            }
            progress.stepTo(count[0]);
        }
        if (!done[0] && !outputFailed.get()) {
            JournalEnds.warn("replay", reader);
        }
        return count[0];
    }

    /** Set when the output cannot be written: the feed stops (there is no one to write for). */
    private final java.util.concurrent.atomic.AtomicBoolean outputFailed = new java.util.concurrent.atomic.AtomicBoolean();

    private static int usage(final String message) {
        System.err.println("ringfence replay: " + message);
        System.err.println("Try 'ringfence replay --help'.");
        return RingfenceMain.EXIT_USAGE;
    }
}
