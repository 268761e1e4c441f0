package io.ringfence.tools.journal;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalSeals;
import io.ringfence.tools.RingfenceMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code verify}: whether a data directory's journal and recorded configurations are still what was sealed when they
 * were written ({@link JournalSeals}), and the chain value through the journal's last record, to keep elsewhere.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks that the journal in --data and its recorded configurations are as they were sealed",
                "when written (journal-seals.txt: the server seals its journal every journal.sealEvery with a SHA-256",
                "chain of every record, and each recorded configuration with its SHA-256), and prints the chain through",
                "the last record: kept elsewhere (a ticket, a WORM store), `verify --expect` proves later that nothing",
                "up to it changed. Reads the journal's archive too; safe while a server writes --data."},
        footerHeading = "%nWhat it shows:%n",
        footer = {"Without a key (journal.sealKey) the seals show damage and changes made without rewriting",
                "journal-seals.txt too; with --key, seals that only the key's holder could have written.",
                "A changed record is named by the range between the last seal that holds and the first that does not."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the journal, the seals and the recorded configurations hold (notes on stderr)",
                "1:something was changed or damaged since it was sealed (each finding on stderr), or the archive is needed",
                "2:bad usage, no journal in --data, or a key that does not read"})
public final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Option(names = "--key", paramLabel = "FILE", description = "the seal key (journal.sealKey): checks each seal's HMAC;"
            + " again for each key the seals were written under (a key changed: the old and the new one)")
    List<Path> key = new ArrayList<>();

    @Option(names = "--expect", paramLabel = "FROM..SEQ:CHAIN", description = "a chain value an earlier verify printed,"
            + " kept elsewhere: fails unless the records FROM..SEQ still give it")
    String expect;

    @Option(names = "--expect-answers", paramLabel = "FROM..SEQ:CHAIN", description = "the same for the answers log"
            + " (DATA/answers): a chain value of its answers an earlier verify printed")
    String expectAnswers;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence verify: " + data + (Files.exists(data) ? ": not a directory" : ": no such data directory"));
            return RingfenceMain.EXIT_USAGE;
        }
        SealCheck.Expected expected = null;
        SealCheck.Expected expectedAnswers = null;
        try {
            expectedAnswers = expectAnswers == null ? null : SealCheck.Expected.parse(expectAnswers);
        } catch (final IllegalArgumentException e) {
            System.err.println("ringfence verify: --expect-answers: " + e.getMessage());
            return RingfenceMain.EXIT_USAGE;
        }
        if (expect != null) {
            try {
                expected = SealCheck.Expected.parse(expect);
            } catch (final IllegalArgumentException e) {
                System.err.println("ringfence verify: " + e.getMessage());
                return RingfenceMain.EXIT_USAGE;
            }
        }
        final List<byte[]> keys = new ArrayList<>();
        for (final Path k : key) {
            final byte[] keyBytes;
            try {
                keyBytes = Files.readAllBytes(k);
            } catch (final IOException e) {
                System.err.println("ringfence verify: --key " + k + " does not read: " + e);
                return RingfenceMain.EXIT_USAGE;
            }
            if (keyBytes.length < 16) {
                System.err.println("ringfence verify: --key " + k + " holds " + keyBytes.length + " bytes; a seal key has 16 or more");
                return RingfenceMain.EXIT_USAGE;
            }
            keys.add(keyBytes);
        }
        if (!Journal.exists(data)) {
            System.err.println("ringfence verify: " + data + " holds no journal");
            return RingfenceMain.EXIT_USAGE;
        }
        final SealCheck.Result result;
        try (Journal journal = Journal.open(JournalConfig.builder(data).rollCycle(recordedRollCycle()).forReading().build())) {
            result = new SealCheck(data, keys, expected).run(journal);
        }
        // the answers the server gave (journal.keepAnswers): a journal of their own, sealed as the events' one
        final Path answersDir = data.resolve(io.ringfence.gateway.bridge.AnswerLog.DIRECTORY);
        SealCheck.Result answers = null;
        if (Journal.exists(answersDir)) {
            try (Journal journal = Journal.open(JournalConfig.builder(answersDir).rollCycle(recordedRollCycle()).forReading().build())) {
                answers = new SealCheck(answersDir, keys, expectedAnswers).run(journal);
            }
        } else if (expectedAnswers != null) {
            System.err.println("ringfence verify: --expect-answers: " + data + " holds no answers log to check it against");
            return RingfenceMain.EXIT_USAGE;
        }
        final String answersScope = answersScope(answersDir, answers != null);
        for (final String note : result.notes()) {
            System.err.println("ringfence verify: note: " + note);
        }
        for (final String failure : result.failures()) {
            System.err.println("ringfence verify: FAILED: " + failure);
        }
        try (java.util.stream.Stream<Path> set = Files.list(data)) {
            set.filter(d -> d.getFileName().toString().startsWith(io.ringfence.gateway.bridge.AnswerLog.SET_ASIDE_PREFIX))
                    .sorted().forEach(d -> System.err.println("ringfence verify: note: an answers log set aside by a start: " + d
                    + " (torn, or holding answers after the journal's end; its whole-answer copy is " + answersDir
                    + "): `ringfence verify --data " + d + "` checks its own seals"));
        } catch (final java.io.IOException e) {
            System.err.println("ringfence verify: note: cannot list " + data + ": " + e);
        }
        for (final String gap : io.ringfence.tools.io.GivenAnswers.gapLines(data)) {
            System.err.println("ringfence verify: note: answers log: answers given without being kept: " + gap);
        }
        if (answersScope != null) {
            System.err.println("ringfence verify: note: " + answersScope);
        }
        final int[] snapshots = checkSnapshots();
        if (answers != null) {
            for (final String note : answers.notes()) {
                System.err.println("ringfence verify: note: answers log: " + note);
            }
            for (final String failure : answers.failures()) {
                System.err.println("ringfence verify: FAILED: answers log: " + failure);
            }
        }
        System.out.printf("journal %s: sequences %,d..%,d read; %,d seals checked%s%n", data, result.from(), result.through(),
                result.sealsChecked(), key.isEmpty() ? "" : " with their MACs");
        System.out.printf("chain %,d..%,d: %s%n", result.from(), result.through(), result.chain());
        if (result.holds()) { // what the records give now: evidence from now on; a chain that did not verify is none (review)
            System.out.printf("  (kept elsewhere, `ringfence verify --data %s --expect %d..%d:%s` proves later that none of these"
                    + " records changed)%n", data, result.from(), result.through(), result.chain());
        }
        if (answers != null) {
            System.out.printf("answers log %s: answers %,d..%,d read; %,d seals checked%s; chain %s%s%n", answersDir,
                    answers.from(), answers.through(), answers.sealsChecked(), key.isEmpty() ? "" : " with their MACs",
                    answers.chain(), answers.holds() ? String.format("%n  (kept elsewhere, `--expect-answers %d..%d:%s` proves"
                    + " later that none of these answers changed)", answers.from(), answers.through(), answers.chain()) : "");
        }
        if (snapshots[0] + snapshots[1] > 0) {
            System.out.printf("snapshots: %,d read whole (CRC32C)%s%n", snapshots[0], snapshots[1] == 0 ? ""
                    : String.format(", %,d damaged (notes on stderr: a start skips them for an older one)", snapshots[1]));
        }
        final int findings = result.failures().size() + (answers == null ? 0 : answers.failures().size());
        if (findings > 0) {
            System.out.println("NOT verified: " + findings + (findings == 1 ? " finding" : " findings")
                    + " (FAILED lines on stderr)");
        } else if (result.sealsChecked() == 0) {
            System.out.println("nothing to compare: the journal has no seals" + (expected != null ? " (the --expect value holds)" : ""));
        } else {
            System.out.println("verified: nothing sealed was changed" + (expected != null ? ", and the --expect value holds" : "")
                    + (result.asFound() == null ? "" : "; but " + result.asFound()));
        }
        return findings == 0 ? RingfenceMain.EXIT_OK : RingfenceMain.EXIT_FAILURE;
    }

    /**
     * What the answers log does not cover, or null: none at all beside a journal, or one begun on a journal that had
     * events (SRE backup trial: a copy without answers/ verified without a word, and its server began a new log).
     */
    private String answersScope(final Path answersDir, final boolean logged) {
        if (!logged) {
            return "no answers log (" + answersDir + "): the answers given are not kept here (written by `run`, which keeps"
                    + " none; journal.keepAnswers off; a build before the log; or a copy of the directory made without its"
                    + " answers/)";
        }
        final Long from = io.ringfence.gateway.bridge.AnswerLog.readFrom(answersDir);
        return from == null || from <= 1 ? null : String.format("the answers log holds answers from engine sequence %,d on: it"
                + " was begun on a journal of %,d events (journal.keepAnswers turned on then, a journal older than the log, or"
                + " a copy made without its answers/)", from, from - 1);
    }

    /**
     * Reads every snapshot in the recorded snapshot.dir whole and checks its CRC (SRE backup trial: a copy's torn or damaged
     * snapshot was only found by the start that skipped it). A damaged one is a note, not a finding: recovery skips it
     * for an older one or the journal, and nothing sealed depends on it. {read whole, damaged}.
     */
    private int[] checkSnapshots() {
        final int[] counts = new int[2];
        final Path dir;
        try {
            dir = data.resolve(io.ringfence.tools.io.RecordedConfig.load(data, null, false).snapshot.dir);
        } catch (final RuntimeException e) {
            return counts; // a recorded configuration that does not read is said by the checks above
        }
        for (final Path p : io.ringfence.journal.snapshot.SnapshotStore.listIn(dir)) {
            try {
                io.ringfence.journal.snapshot.SnapshotStore.read(p);
                counts[0]++;
            } catch (final io.ringfence.journal.snapshot.SnapshotCorruptException e) {
                counts[1]++;
                System.err.println("ringfence verify: note: snapshot " + p + " does not verify: " + e.getMessage());
            }
        }
        return counts;
    }

    /** The roll cycle the recorded configuration names, or the default (as {@code journal} reads it). */
    private String recordedRollCycle() {
        try {
            return io.ringfence.tools.io.RecordedConfig.load(data, null, false).journal.rollCycle;
        } catch (final RuntimeException e) {
            return io.ringfence.engine.config.EngineConfigLoader.defaults().journal.rollCycle;
        }
    }
}
