package io.ringfence.tools.fraud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.journal.Journal;
import io.ringfence.journal.snapshot.SnapshotStore;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.cli.Progress;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.PaymentResult;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.RecordedConfig;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code explain}: why an order (or payment) got its decision. Finds it in the journal (through the journal's
 * {@link io.ringfence.journal.KeyIndex} where it covers the events, by reading them where it does not), re-runs
 * the journal up to it through an engine with the configuration the data directory was written
 * with ({@link RecordedConfig}), from the newest snapshot taken before it when there is one (or
 * from the first event), and prints what the engine saw at that moment ({@link Explanation}).
 * Deterministic replay makes this the decision the order received then.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explains the decision of an order or payment as of its moment in the journal.",
                "Feature values, each model feature's contribution, the rules that",
                "fired, thresholds and the decision. Uses the configuration recorded in --data",
                "(the one the journal was written with) unless --config is given."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:explained", "1:runtime failure (e.g. a damaged journal)", "2:bad usage, no journal, or no such order"})
public final class ExplainCommand implements Callable<Integer> {
    /** Most occurrences of one id explained without {@code --all}: the latest (an id sent again as a new event is a new occurrence). */
    private static final int MAX_OCCURRENCES = 10;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--order", required = true, paramLabel = "ID", description = "the orderId (or paymentId) to explain")
    String order;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "explain under this configuration instead (what-if)")
    Path config;

    @Option(names = "--model", paramLabel = "MODEL.json", description = "explain under this model instead (what-if)")
    Path model;

    @Option(names = "--json", description = "one JSON object per occurrence on stdout")
    boolean json;

    @Option(names = "--full", description = "replay from the journal's first event, not from a snapshot taken before the order")
    boolean full;

    @Option(names = "--all", description = "explain every occurrence of the id (default: the latest " + MAX_OCCURRENCES + ")")
    boolean all;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence explain: " + data + (java.nio.file.Files.exists(data) ? ": not a directory (--data names the data directory a run or server wrote)" : ": no such data directory"));
            return RingfenceMain.EXIT_USAGE;
        }
        EngineConfig engineConfig = RecordedConfig.load(data, config);
        if (model != null) {
            engineConfig.fraud.model = model.toString();
            engineConfig.validate();
            final String problem = engineConfig.fraud.modelWithoutItsFeatures(engineConfig.fraudSpec());
            if (problem != null) { // a what-if explains with it, but says its term is lost
                System.err.println("ringfence explain: warning: " + problem);
            }
        }
        Path source = RecordedConfig.source(data, config);
        if (!Journal.exists(data)) { // checked before opening, which would create Chronicle's metadata file in it
            System.err.println("ringfence explain: " + data + " holds no journal (no events)");
            return RingfenceMain.EXIT_USAGE;
        }
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(engineConfig.journal.rollCycle).forReading().build());
             AutoCloseable answers = () -> {
                 if (givenAnswers != null) {
                     givenAnswers.close();
                 }
             }) {
            final long first = journal.firstSequence();
            final long last = journal.lastSequence();
            if (last == 0) {
                System.err.println("ringfence explain: " + data + " holds no journal (no events)");
                return RingfenceMain.EXIT_USAGE;
            }
            final List<Long> targets = find(journal);
            if (targets.isEmpty()) {
                // not found in what is readable here: it may be in the archive (trial: "no order" said of an archived one)
                journal.requireFrom(1, "explain of '" + order + "' (not in the events readable here)");
                System.err.printf("ringfence explain: no order or payment '%s' in the journal of %s (%,d events, seq %,d..%,d)%n",
                        order, data, last - first + 1, first, last);
                return RingfenceMain.EXIT_USAGE;
            }
            if (config != null || model != null) { // compared with what decided it (a restart under other settings keeps the old)
                final Path decided = RecordedConfig.sourceAt(data, targets.get(0));
                System.err.print(RecordedConfig.whatIf(data, java.util.Objects.equals(decided, RecordedConfig.source(data, null)) ? null
                        : decided, config != null ? config : Path.of("--model " + model), engineConfig));
                System.err.println("(the decision it was sent is the one `explain` gives without --config or --model)");
            }
            // each occurrence under the configuration in effect when it was decided (a server restarted with another keeps
            // the old): one replay per configuration, in journal order (a configuration's sequences are one range)
            final java.util.Map<Path, List<Long>> byConfig = new java.util.LinkedHashMap<>();
            for (final long target : targets) {
                final Path decidedUnder = config == null && model == null ? RecordedConfig.sourceAt(data, target) : null;
                byConfig.computeIfAbsent(decidedUnder != null ? decidedUnder : source, k -> new ArrayList<>()).add(target);
            }
            final List<Explanation> found = new ArrayList<>();
            for (final java.util.Map.Entry<Path, List<Long>> group : byConfig.entrySet()) {
                final Path under = group.getKey();
                final EngineConfig groupConfig = java.util.Objects.equals(under, source) ? engineConfig : RecordedConfig.load(data, under);
                explain(journal, groupConfig, under, group.getValue(), found);
            }
            final ObjectMapper mapper = new ObjectMapper();
            for (final Repeat r : repeats) {
                moneyBack.remove(r.seq()); // a refund sent again is told once, as the repeat it is (review)
            }
            for (final long seq : moneyBack) {
                if (json) { // a machine reading stdout gets a line for it too, not nothing (model trial)
                    final java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
                    line.put("seq", seq);
                    line.put("paymentId", order);
                    line.put("scored", false);
                    line.put("why", "a refund or chargeback: money going back is not scored; approved with score 0 unless an"
                            + " allow or deny list names its user or instrument");
                    System.out.println(mapper.writeValueAsString(line));
                }
                System.err.printf("ringfence explain: seq %,d is a refund or chargeback of '%s': not scored (money going back is no"
                        + " attempt to take it; approved with score 0 unless an allow or deny list names its user or instrument;"
                        + " its decision: ringfence replay --data %s --order %s --type decision)%n", seq, order, data, order);
            }
            if (!paymentsOfOrder.isEmpty()) {
                System.err.printf("ringfence explain: '%s' is also the order of %,d payment(s), each decided on its own: %s;"
                        + " explain one with --order PAYMENT_ID%n", order, paymentsOfOrder.size(),
                        String.join(", ", paymentsOfOrder.subList(0, Math.min(10, paymentsOfOrder.size())))
                                + (paymentsOfOrder.size() > 10 ? ", ..." : ""));
            }
            final int unexplained = targets.size() - found.size() - moneyBack.size() - repeats.size();
            if (unexplained > 0) {
                System.err.println("ringfence explain: " + unexplained
                        + " occurrence(s) were not scored (fraud.enabled is false in this configuration)");
                return found.isEmpty() ? RingfenceMain.EXIT_USAGE : RingfenceMain.EXIT_OK;
            }
        }
        return RingfenceMain.EXIT_OK;
    }

    /** Replays up to the last of {@code targets} under one configuration and prints their explanations. */
    private void explain(final Journal journal, final EngineConfig engineConfig, final Path source, final List<Long> targets,
                         final List<Explanation> all) throws Exception {
        final long first = journal.firstSequence();
        final long last = journal.lastSequence();
        final long until = targets.get(targets.size() - 1);
        final List<Explanation> found = new ArrayList<>();
        final org.agrona.collections.LongHashSet wanted = new org.agrona.collections.LongHashSet(); // --all: many (review)
        targets.forEach(wanted::add);
        final ScoreListener listener = new ScoreListener() {
            private long reusedSeq = -1;
            private long reusedOf = -1;

            @Override
            public void onIdReused(final long seq, final long firstSeq) {
                reusedSeq = seq;
                reusedOf = firstSeq;
            }

            @Override
            public void onScored(final long seq, final org.agrona.DirectBuffer buffer, final int offset,
                                 final io.ringfence.engine.fraud.FraudScorer scorer, final io.ringfence.engine.decision.Verdict verdict) {
                if (wanted.contains(seq)) {
                    found.add(new Explanation(seq, buffer, offset, scorer, verdict, reusedSeq == seq ? reusedOf : -1));
                }
            }

            @Override
            public void onRepeat(final long seq, final long firstSeq, final org.agrona.DirectBuffer buffer, final int offset,
                                 final io.ringfence.engine.decision.Verdict verdict) {
                if (wanted.contains(seq)) {
                    final List<String> reasons = new ArrayList<>();
                    for (int i = 0; i < verdict.reasonCount(); i++) {
                        reasons.add(verdict.reasonText(i));
                    }
                    repeats.add(new Repeat(seq, firstSeq, verdict.outcome().name(), verdict.score(), reasons));
                }
            }
        };
        final OutputSink none = (seq, src, cs, b, o, l) -> { };
        // the configuration's snapshots stand for the journal before the first occurrence
        final boolean fromSnapshot = !full && config == null && model == null;
        // where a snapshot was looked for, when one could stand for part of the journal (the summary says why none did)
        final Path snapshotAt = fromSnapshot && engineConfig.snapshot.enabled && targets.get(0) > first
            ? data.resolve(engineConfig.snapshot.dir) : null;
        long from = first;
        long restored = 0;
        try (Engine engine = fromSnapshot
                ? Engine.replayingFromSnapshot(engineConfig, data, journal, last, targets.get(0) - 1, none, listener)
                : Engine.replaying(engineConfig, first, none, listener);
             JournalReader reader = journal.reader()) {
            final Pipeline pipeline = engine.pipeline();
            restored = engine.restoredSequence();
            journal.requireFrom(restored + 1, "explain"); // archived events not readable here
            from = Math.max(first, restored + 1);
            reader.seek(from);
            final long[] at = {0};
            // a replay from the journal's start, or a day before the order, takes minutes (analyst trial: 30.7 s for 3 M
            // events without a word until the answer): a bar with rate and ETA on a console, as replay's
            try (Progress progress = Progress.start("explain", until - from + 1, "events", 1)) {
                while (at[0] < until && reader.next((seq, ingest, src, clientSeq, payload, offset, length) -> {
                    at[0] = seq;
                    if (json && wanted.contains(seq)) { // where it is in the journal, for the record (compliance trial)
                        records.put(seq, new long[]{ingest, src, clientSeq,
                                io.ringfence.journal.RecordFingerprint.of(seq, ingest, src, clientSeq, payload, offset, length)});
                    }
                    pipeline.publishAt(seq, ingest, src, clientSeq, payload, offset, length);
                })) {
                    if ((at[0] & 0x3FFF) == 0) {
                        progress.stepTo(at[0] - from + 1);
                    }
                }
                progress.stepTo(Math.max(0, at[0] - from + 1));
            }
            pipeline.publishEndOfInput();
            engine.close();
        }
        if (!json) {
            System.out.printf("explain %s: configuration %s%s; replayed seq %,d..%,d of %s%s%n", order,
                    source == null ? "defaults" : source, model == null ? "" : " with model " + model, from, until, data,
                    restored > 0 ? String.format(" after its snapshot of seq %,d", restored)
                        : snapshotAt == null ? "" : " (" + SnapshotStore.whyNoneBefore(snapshotAt, targets.get(0) - 1) + ")");
            if (source != null && config == null) { // who put the configuration that decided it in effect, and why
                final String[] origin = RecordedConfig.originOf(source);
                if (origin[0] != null) {
                    System.out.printf("  configuration recorded %s%s%n", origin[0], origin[1] == null ? "" : "; reason: " + origin[1]);
                }
            }
        }
        final ObjectMapper mapper = new ObjectMapper();
        int r = repeatsPrinted;
        for (final Explanation e : found) {
            for (; r < repeats.size() && repeats.get(r).seq() < e.sequence(); r++) {
                printRepeat(repeats.get(r), mapper, source);
            }
            if (json) {
                // which configuration (and model) decided it, as the text's heading says (analyst trial: an id decided
                // before and after a restart under other settings gave two objects that did not say which was which)
                final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("configuration", source == null ? "defaults" : source.toString());
                if (model != null) {
                    m.put("modelFile", model.toString());
                }
                m.putAll(e.json());
                final com.fasterxml.jackson.databind.JsonNode given = given(e.sequence(), engineConfig);
                m.put("given", given == null ? null : givenJson(given));
                m.put("givenAsReplayed", given == null ? null : sameAsGiven(e, given));
                m.put("provenance", provenance(e.sequence(), source));
                System.out.println(mapper.writeValueAsString(m));
            } else {
                System.out.println(e.text());
                System.out.println(givenText(e, given(e.sequence(), engineConfig)));
            }
        }
        for (; r < repeats.size(); r++) {
            printRepeat(repeats.get(r), mapper, source);
        }
        repeatsPrinted = r;
        all.addAll(found);
    }

    /** The answers log of --data, opened on first use; null when it has none. */
    private io.ringfence.tools.io.GivenAnswers givenAnswers;
    private boolean givenOpened;

    /** The answer the server kept as given for engine sequence {@code seq}, or null (none kept, or no log). */
    private com.fasterxml.jackson.databind.JsonNode given(final long seq, final EngineConfig engineConfig) {
        if (!givenOpened) {
            givenOpened = true;
            givenAnswers = io.ringfence.tools.io.GivenAnswers.open(data, engineConfig.journal.rollCycle);
        }
        return givenAnswers == null ? null : givenAnswers.find(seq);
    }

    /**
     * The answer given, as {@code --json} writes it, its fields always in this order (review: a {@code Map.of} put them in
     * another order from run to run, so two runs' outputs differed byte for byte).
     */
    private static java.util.Map<String, Object> givenJson(final com.fasterxml.jackson.databind.JsonNode given) {
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("decision", given.path("decision").asText());
        m.put("score", given.path("score").asDouble());
        m.put("reasons", reasonsOf(given));
        m.put("keptAt", given.path("keptAt").asText());
        m.put("answer", given.path("answer").asLong());
        return m;
    }

    private static List<String> reasonsOf(final com.fasterxml.jackson.databind.JsonNode given) {
        final List<String> reasons = new ArrayList<>();
        given.path("reasons").forEach(r -> reasons.add(r.asText()));
        return reasons;
    }

    /** Whether the replay's decision is the one given: outcome, score and reasons. */
    private static boolean sameAsGiven(final Explanation e, final com.fasterxml.jackson.databind.JsonNode given) {
        return e.outcome().name().equals(given.path("decision").asText())
                && Double.compare(e.score(), given.path("score").asDouble()) == 0 && e.reasons().equals(reasonsOf(given));
    }

    /** The line saying what was given (DATA/answers), and whether this replay gives the same. */
    private String givenText(final Explanation e, final com.fasterxml.jackson.databind.JsonNode given) {
        if (given == null) {
            final long from = io.ringfence.tools.io.GivenAnswers.answeredFrom(data);
            final String gap = io.ringfence.tools.io.GivenAnswers.gapOf(data, e.sequence());
            return givenAnswers == null ? "given: not known: " + io.ringfence.tools.io.GivenAnswers.absence(data)
                    : e.sequence() < from ? String.format("given: not kept (the answers log begins at seq %,d)", from)
                    : gap != null ? "given: " + gap
                    : "given: not in the answers log (the server had not answered it when it stopped, or it is after the log's end)";
        }
        final String text = String.format("given: %s   score %s   reasons: %s   (kept %s, answer %,d of %s)",
                given.path("decision").asText(), io.ringfence.engine.codec.PlainNumbers.plain(given.path("score").asDouble()),
                reasonsOf(given).isEmpty() ? "(none)" : String.join(", ", reasonsOf(given)), given.path("keptAt").asText(),
                given.path("answer").asLong(), data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY));
        return text + (sameAsGiven(e, given) ? "\n  = the decision above"
                : "\n  DIFFERS from the decision above: this replay does not give the answer the server gave (its"
                + " configuration, model or engine rules are not those that decided it)");
    }

    /** The journal records of the occurrences explained: ingest time, source, client sequence, fingerprint. */
    private final java.util.Map<Long, long[]> records = new java.util.HashMap<>();

    /**
     * What an auditor needs to tie an explanation to its evidence (compliance trial: explain --json named no record
     * fingerprint, ingest time or configuration digest): the journal record, the configuration file's SHA-256 and whether
     * it is the one sealed when recorded, the engine rules of this build, and the journal's seals.
     */
    private java.util.Map<String, Object> provenance(final long seq, final Path source) {
        final java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
        final long[] r = records.get(seq);
        if (r != null) {
            p.put("ingestTime", java.time.Instant.ofEpochSecond(Math.floorDiv(r[0], 1_000_000L), Math.floorMod(r[0], 1_000_000L) * 1_000L).toString());
            p.put("client", r[1] == io.ringfence.tools.run.RunCommand.FILE_SOURCE ? null
                    : clientNames().computeIfAbsent(r[1], io.ringfence.tools.io.ClientNames::hex));
            p.put("clientSeq", r[2]);
            p.put("recordFingerprint", String.format("%016x", r[3]));
        }
        if (source != null) {
            p.putAll(configurationProvenance.computeIfAbsent(source, this::configurationProvenance));
        }
        p.put("engineRules", RecordedConfig.rulesVersion());
        if (sealedThrough == null) {
            final io.ringfence.journal.JournalSeals.Line seal = io.ringfence.journal.JournalSeals.lastSeal(data);
            sealedThrough = seal == null ? -1L : seal.sequence();
        }
        // the last seal line's sequence: whether the seals hold is `verify`'s to say, not this (operator trial)
        p.put("journalLastSeal", sealedThrough < 0 ? null : sealedThrough);
        return p;
    }

    /** Per configuration file, read once a command (the seals file may hold a year of lines). */
    private final java.util.Map<Path, java.util.Map<String, Object>> configurationProvenance = new java.util.HashMap<>();
    private Long sealedThrough;

    private java.util.Map<String, Object> configurationProvenance(final Path source) {
        final java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
        try {
            p.put("configurationSha256", io.ringfence.journal.JournalSeals.sha256Hex(java.nio.file.Files.readAllBytes(source)));
        } catch (final java.io.IOException e) {
            p.put("configurationSha256", null);
        }
        if (config != null) {
            p.put("configurationSealed", "not recorded (--config)");
            return p;
        }
        // who recorded it, when, from which file, and why (compliance trial: the history named none of them)
        final String[] origin = RecordedConfig.originOf(source);
        p.put("configurationRecorded", origin[0]);
        p.put("configurationReason", origin[1]);
        final io.ringfence.journal.JournalSeals.Contents seals = io.ringfence.journal.JournalSeals.read(data);
        final boolean sealed = RecordedConfig.sealedAsRecorded(seals, source);
        p.put("configurationSealed", RecordedConfig.unsealedChange(seals, source) != null ? "CHANGED since recorded"
                : !sealed ? "not sealed" : RecordedConfig.sealedAsFound(seals, source) ? "as found (sealed by a start, not as written)"
                : "as recorded");
        return p;
    }

    private java.util.Map<Long, String> clientNames;

    private java.util.Map<Long, String> clientNames() {
        if (clientNames == null) {
            clientNames = new java.util.HashMap<>(io.ringfence.tools.io.ClientNames.load(data, System.err));
        }
        return clientNames;
    }

    /** An occurrence answered as a repeat of an earlier decision, in the explanations' order (by sequence). */
    private void printRepeat(final Repeat r, final ObjectMapper mapper, final Path source) throws java.io.IOException {
        if (json) {
            final java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
            line.put("configuration", source == null ? "defaults" : source.toString());
            line.put("seq", r.seq());
            line.put("id", order);
            line.put("scored", false);
            line.put("repeatOf", r.firstSeq());
            line.put("decision", r.outcome());
            line.put("score", r.score());
            line.put("reasons", r.reasons());
            line.put("why", "the same order or payment (id and content) was decided at seq " + r.firstSeq()
                    + " within decisions.rememberFor: answered with that decision, reason REPEATED_ID, not scored or"
                    + " counted again");
            System.out.println(mapper.writeValueAsString(line));
        } else {
            System.out.printf("seq %,d: '%s' repeats seq %,d (the same id and content, sent again within"
                    + " decisions.rememberFor): answered with seq %,d's decision, %s with score %s, reasons %s;"
                    + " not scored or counted again (docs/fraud.md \"Repeated orders and payments\")%n", r.seq(), order,
                    r.firstSeq(), r.firstSeq(), r.outcome(), r.score(), String.join(", ", r.reasons()));
        }
    }

    /** How many of {@link #repeats} have been printed (each configuration's replay prints its own, in order). */
    private int repeatsPrinted;

    /** An occurrence answered with the decision of the same order or payment sent before (decisions.repeats: first). */
    private record Repeat(long seq, long firstSeq, String outcome, double score, List<String> reasons) {
    }

    /** The occurrences {@link #explain} found to be repeats, not scored. */
    private final List<Repeat> repeats = new ArrayList<>();

    /** Sequences of {@link #find}'s payments that give money back (REFUNDED, CHARGEBACK), which are not scored. */
    private final List<Long> moneyBack = new ArrayList<>();

    /**
     * Sequences of the orders and payments with this id: every one with {@code --all}, else the latest
     * {@value #MAX_OCCURRENCES}, saying how many were left out (audit: the first 10 were explained and the later ones,
     * often the disputed ones, left out without a word).
     */
    List<Long> find(final Journal journal) {
        final List<Long> targets = new ArrayList<>();
        final org.agrona.collections.LongHashSet back = new org.agrona.collections.LongHashSet();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderDecoder o = new OrderDecoder();
        final PaymentDecoder p = new PaymentDecoder();
        final List<Long> ofOrder = new ArrayList<>();
        final org.agrona.collections.LongHashSet ofOrderBack = new org.agrona.collections.LongHashSet();
        try (JournalReader reader = journal.reader()) {
            // the records that may carry the id: through the journal's key index where it has one (a whole read of 100 M
            // events takes about a minute), every record where it has none
            search = io.ringfence.journal.KeyIndex.search(journal, reader, new long[]{io.ringfence.engine.codec.IdKeys.of(order)},
                    (seq, ingest, src, clientSeq, payload, offset, length) -> {
                final boolean match = matches(payload, offset, header, o, p);
                final boolean payment = header.schemaId() == OrderDecoder.SCHEMA_ID && header.templateId() == PaymentDecoder.TEMPLATE_ID;
                final boolean moneyBack = payment && (p.result() == PaymentResult.REFUNDED || p.result() == PaymentResult.CHARGEBACK);
                if (match) {
                    targets.add(seq);
                    if (moneyBack) {
                        back.add(seq);
                    }
                } else if (payment && order.equals(p.orderId())) {
                    // a payment's decision names its order too: an analyst given it asks for the order id (compliance trial)
                    ofOrder.add(seq);
                    paymentsOfOrder.add(p.paymentId() + " (seq " + seq + ")");
                    if (moneyBack) {
                        ofOrderBack.add(seq);
                    }
                }
            });
            for (final String unused : search.unused()) {
                System.err.println("ringfence explain: warning: a block of the journal's key index was not used, its events"
                        + " were read instead: " + unused);
            }
            io.ringfence.tools.io.JournalEnds.warn("explain", reader);
        }
        if (targets.isEmpty() && !ofOrder.isEmpty()) {
            // no order of that id was sent (payments alone, e.g. PaySim's): its payments are what was decided under it
            System.err.printf("ringfence explain: no order '%s' was sent, but %,d payment(s) name it as their order: explained"
                    + " here, each under its own id (%s)%n", order, ofOrder.size(), String.join(", ", paymentsOfOrder));
            targets.addAll(ofOrder);
            back.addAll(ofOrderBack);
            paymentsOfOrder.clear();
        }
        final List<Long> chosen = all || targets.size() <= MAX_OCCURRENCES ? targets
                : targets.subList(targets.size() - MAX_OCCURRENCES, targets.size());
        if (chosen.size() < targets.size()) {
            System.err.printf("ringfence explain: '%s' occurs %,d times (seq %,d..%,d): the latest %d are explained, from seq %,d"
                    + " (--all explains every one)%n", order, targets.size(), targets.get(0), targets.get(targets.size() - 1),
                    chosen.size(), chosen.get(0));
        }
        for (final long seq : chosen) {
            if (back.contains(seq)) {
                moneyBack.add(seq);
            }
        }
        return chosen;
    }

    /** How the occurrences were looked for (tests: that the key index was used). */
    io.ringfence.journal.KeyIndex.Search search;

    /** Payments naming the explained id as their order, "id (seq N)", said after the order's explanation. */
    private final List<String> paymentsOfOrder = new ArrayList<>();

    /** {@link #paymentsOfOrder} (tests). */
    List<String> paymentsOfOrder() {
        return paymentsOfOrder;
    }

    private boolean matches(final DirectBuffer b, final int offset, final MessageHeaderDecoder header, final OrderDecoder o,
                            final PaymentDecoder p) {
        header.wrap(b, offset);
        if (header.schemaId() != OrderDecoder.SCHEMA_ID) {
            return false;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId()) {
            case OrderDecoder.TEMPLATE_ID:
                o.wrap(b, body, header.blockLength(), header.version());
                return order.equals(o.orderId());
            case PaymentDecoder.TEMPLATE_ID:
                p.wrap(b, body, header.blockLength(), header.version());
                return order.equals(p.paymentId());
            default:
                return false;
        }
    }
}
