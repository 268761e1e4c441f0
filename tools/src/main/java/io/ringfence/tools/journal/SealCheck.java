package io.ringfence.tools.journal;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalSeals;
import io.ringfence.journal.SealChain;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.io.JournalEnds;
import io.ringfence.tools.io.RecordedConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a data directory against its seals ({@link JournalSeals}): the file's lines follow each other and carry a
 * key's HMAC; the journal's records give, at each seal, the chain the seal names; each recorded configuration is the
 * file that was sealed when it was written. A changed record shows as the range between the last seal that still holds
 * and the first that does not (each seal is checked on its own: the check goes on from the sealed value, so every
 * changed range is named, not only the first). A file may hold several chains: a start that found records without
 * seals of them, or whose last seal no longer held, began another ({@code adopted=N}: sealed as found); each is checked.
 */
final class SealCheck {
    /** What was found: failures make the check fail, notes do not; {@code chain} is what the records give now. */
    record Result(List<String> failures, List<String> notes, long from, long through, String chain, long sealsChecked,
                  String asFound) {
        boolean holds() {
            return failures.isEmpty();
        }
    }

    /** A chain value to compare with, kept elsewhere from an earlier {@code verify}: {@code FROM..SEQ:HEX}. */
    record Expected(long from, long sequence, String chain) {
        static Expected parse(final String text) {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.\\.(\\d+):([0-9a-fA-F]{64})")
                    .matcher(text.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) < 1 || Long.parseLong(m.group(2)) < Long.parseLong(m.group(1))) {
                throw new IllegalArgumentException("--expect is FROM..SEQ:CHAIN as verify prints it (FROM >= 1, SEQ >= FROM,"
                        + " CHAIN 64 hex digits, e.g. 1..52000:3f2a...), not '" + text + "'");
            }
            return new Expected(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    m.group(3).toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final Path data;
    private final List<byte[]> keys;
    private final Expected expected;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean expectCompared;

    SealCheck(final Path data, final List<byte[]> keys, final Expected expected) {
        this.data = data;
        this.keys = List.copyOf(keys);
        this.expected = expected;
    }

    Result run(final Journal journal) {
        final JournalSeals.Contents seals = JournalSeals.read(data);
        for (final String p : seals.problems()) {
            notes.add(seals.file().getFileName() + " " + p + " (left out)");
        }
        noteSetAside();
        checkLines(seals);
        final List<List<JournalSeals.Line>> chains = chains(seals);
        final long last = journal.lastSequence();
        final long first = Math.max(1, journal.firstSequence());
        if (chains.isEmpty() && last > 0 && !keys.isEmpty()) {
            failures.add("the journal has " + String.format("%,d", last) + " records and no seals, but a key was given: a server"
                    + " with journal.sealKey seals its journal; " + JournalSeals.FILE + " was deleted or emptied");
        } else if (chains.isEmpty()) {
            notes.add("the journal has no seals (written by a build before them, or with journal.sealEvery: 0s): its chain is"
                    + " computed here, not compared");
        }
        final List<String> asFound = new ArrayList<>();
        long sealsChecked = 0;
        SealChain now = null;
        for (int c = 0; c < chains.size(); c++) {
            final List<JournalSeals.Line> chain = chains.get(c);
            final boolean newest = c == chains.size() - 1;
            final JournalSeals.Line head = chain.get(0);
            if (head.adopted() > 0) {
                asFound.add(String.format("records %,d..%,d were sealed as found by a start at %s (%s line %d), not as they"
                        + " were written: it found them without seals (a journal of a build before seals, or seals deleted) or"
                        + " its last seal not holding", head.from(), head.adopted(), head.field("at"), JournalSeals.FILE,
                        head.number()));
                notes.add(asFound.get(asFound.size() - 1));
            }
            final long through = newest ? last : chain.get(chain.size() - 1).sequence();
            final SealChain actual = chainOver(journal, head.from(), Math.min(through, last), chain, newest);
            sealsChecked += chain.size();
            final JournalSeals.Line end = chain.get(chain.size() - 1);
            if (end.sequence() > actual.last()) {
                failures.add(String.format("the seals go to sequence %,d (line %d, %s) but the journal ends at %,d: records"
                        + " sealed then are gone (cut, files removed, or lost to a power loss under journal.sync none)",
                        end.sequence(), end.number(), end.field("at"), actual.last()));
            }
            if (newest) {
                now = actual;
                if (actual.last() > end.sequence()) {
                    notes.add(String.format("%,d events after the last seal (sequence %,d) are not sealed yet (a server writing,"
                            + " or one stopped by kill -9 before its next seal)", actual.last() - end.sequence(), end.sequence()));
                }
            }
        }
        if (now == null) {
            now = chainOver(journal, first, last, List.of(), true);
        }
        if (now.from() > 1) {
            notes.add(String.format("records 1..%,d are not sealed: the seals begin at %,d", now.from() - 1, now.from()));
        }
        if (expected != null && !expectCompared) {
            failures.add(expected.from() != now.from()
                    ? String.format("--expect names the chain from sequence %,d, but the journal's newest seals chain from %,d:"
                    + " not comparable (the seals were begun anew since that value was kept)", expected.from(), now.from())
                    : String.format("--expect names sequence %,d; the journal ends at %,d: records are gone", expected.sequence(),
                    now.last()));
        }
        checkConfigurations(seals, last);
        return new Result(List.copyOf(failures), List.copyOf(notes), now.from(), now.last(), now.hex(), sealsChecked,
                asFound.isEmpty() ? null : String.join("; and ", asFound));
    }

    /** Seals set aside by a start (a journal begun anew) are not this journal's; said, so that nobody looks past them. */
    private void noteSetAside() {
        try (var files = Files.list(data)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(JournalSeals.FILE + ".")).sorted()
                    .forEach(n -> notes.add(n + ": seals moved aside (by a start that found an empty journal, one begun anew;"
                            + " or by hand): not checked against this journal"));
        } catch (final IOException e) {
            notes.add("cannot list " + data + ": " + e);
        }
    }

    /** The seal lines as chains: a new one begins where {@code from} changes, the sequence goes back, or a start adopted. */
    private static List<List<JournalSeals.Line>> chains(final JournalSeals.Contents seals) {
        final List<List<JournalSeals.Line>> chains = new ArrayList<>();
        JournalSeals.Line before = null;
        for (final JournalSeals.Line l : seals.lines()) {
            if (!JournalSeals.SEAL.equals(l.kind())) {
                continue;
            }
            // a start that sealed as found says so in its chain's first line only
            final boolean same = before != null && l.from() == before.from() && l.sequence() > before.sequence()
                    && l.adopted() == 0;
            if (!same) {
                chains.add(new ArrayList<>());
            }
            chains.get(chains.size() - 1).add(l);
            before = l;
        }
        return chains;
    }

    /** Each line names the one before it, and carries one of the keys' HMACs when keys are given. */
    private void checkLines(final JournalSeals.Contents seals) {
        String prev = JournalSeals.NO_PREVIOUS;
        int previousLine = 0;
        int unkeyed = 0;
        int keyedFrom = 0;
        int keyInUse = 0; // keys are given oldest first: once a line is under one, none after it is under an older one
        for (final JournalSeals.Line l : seals.lines()) {
            if (!prev.equals(l.field("prev"))) {
                failures.add(String.format("%s line %d does not follow %s: a line was taken out, added or changed there",
                        seals.file().getFileName(), l.number(), previousLine == 0 ? "the file's start" : "line " + previousLine));
            }
            final String mac = l.field("mac");
            if (mac == null && keyedFrom > 0 && !keys.isEmpty()) {
                failures.add(String.format("%s line %d carries no MAC after line %d did: written without the key (a server whose"
                        + " journal.sealKey was taken away, or by hand)", seals.file().getFileName(), l.number(), keyedFrom));
            } else if (mac == null) {
                unkeyed++;
            } else {
                keyedFrom = keyedFrom == 0 ? l.number() : keyedFrom;
                // the first key at or after the one in use that matches (a key used again after another is listed again
                // in its place: A, B, A), else an older one (a failure below)
                int under = -1;
                for (int k = keyInUse; k < keys.size() && under < 0; k++) {
                    under = JournalSeals.mac(keys.get(k), l.body()).equals(mac) ? k : -1;
                }
                for (int k = 0; k < keyInUse && under < 0; k++) {
                    under = JournalSeals.mac(keys.get(k), l.body()).equals(mac) ? k : -1;
                }
                if (!keys.isEmpty() && under < 0) {
                    failures.add(String.format("%s line %d: its MAC does not match under %s: changed since it was written, or"
                            + " written under another key", seals.file().getFileName(), l.number(),
                            keys.size() == 1 ? "the key" : "any of the keys"));
                } else if (under >= 0 && under < keyInUse) {
                    // review: a retired key (changed because it may have leaked) signed a line of the new key's time
                    failures.add(String.format("%s line %d is under --key #%d, an older key than the lines before it: written"
                            + " with a retired key after the change (give the keys oldest first)", seals.file().getFileName(),
                            l.number(), under + 1));
                } else if (under >= 0) {
                    keyInUse = under;
                }
            }
            prev = l.digest();
            previousLine = l.number();
        }
        if (keys.isEmpty() && keyedFrom > 0) {
            notes.add("the seals carry MACs, not checked: give --key FILE (journal.sealKey) to check them");
        } else if (!keys.isEmpty() && unkeyed > 0 && keyedFrom > 0) {
            notes.add(String.format("%d lines before line %d carry no MAC (written before journal.sealKey was set): they"
                    + " show damage, not who wrote them", unkeyed, keyedFrom));
        } else if (!keys.isEmpty() && unkeyed > 0) {
            failures.add("no seal line carries a MAC, but a key was given: these seals were written without journal.sealKey");
        } else if (keys.isEmpty() && !seals.lines().isEmpty()) {
            notes.add("the seals carry no MAC (no journal.sealKey): they show damage and changes made without rewriting "
                    + JournalSeals.FILE + " too; keep the chain value printed elsewhere, or configure a key");
        }
    }

    /**
     * The chain over {@code from..last} as the records give it (returned), compared with each seal and {@code expected}
     * as it passes them; after a seal that does not hold, the comparison goes on from the sealed value.
     */
    private SealChain chainOver(final Journal journal, final long from, final long last, final List<JournalSeals.Line> seals,
                                final boolean withExpected) {
        final SealChain actual = new SealChain(from);
        if (last < from) {
            return actual;
        }
        journal.requireFrom(from, "verify");
        int next = 0;
        long lastHeld = from - 1;
        final SealChain[] checked = {new SealChain(from)};
        try (JournalReader reader = journal.reader();
             Progress progress = Progress.start("verify", last - from + 1, "events", 1)) {
            if (!reader.seek(from)) {
                return actual;
            }
            while (actual.last() < last) {
                try {
                    if (!reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                        actual.add(seq, ingest, source, clientSeq, payload, offset, length);
                        checked[0].add(seq, ingest, source, clientSeq, payload, offset, length);
                    })) {
                        JournalEnds.warn("verify", reader);
                        break;
                    }
                } catch (final JournalCorruptException e) {
                    failures.add("a record does not read: " + e.getMessage());
                    break;
                } catch (final IllegalStateException e) {
                    failures.add("the journal skips or repeats a sequence: " + e.getMessage());
                    break;
                }
                final long seq = actual.last();
                if ((seq & 0xffff) == 0) {
                    progress.stepTo(seq - from + 1);
                }
                if (withExpected && expected != null && expected.from() == from && expected.sequence() == seq) {
                    expectCompared = true;
                    if (!expected.chain().equals(actual.hex())) {
                        failures.add(String.format("the chain through sequence %,d is not the value kept (--expect): a record in"
                                + " %,d..%,d was changed since", seq, from, seq));
                    }
                }
                while (next < seals.size() && seals.get(next).sequence() == seq) {
                    final JournalSeals.Line seal = seals.get(next++);
                    if (!seal.field("chain").equals(checked[0].hex())) {
                        failures.add(String.format("sequences %,d..%,d were changed after they were sealed (%s line %d, %s):"
                                + " the chain the records give there is not the one sealed", lastHeld + 1, seq, JournalSeals.FILE,
                                seal.number(), seal.field("at")));
                        checked[0] = new SealChain(from, seq, HexFormat.of().parseHex(seal.field("chain")));
                    }
                    lastHeld = seq;
                }
            }
        }
        return actual;
    }

    /** Each recorded configuration file against the last seal written for its first sequence. */
    private void checkConfigurations(final JournalSeals.Contents seals, final long journalLast) {
        final java.util.NavigableMap<Long, Path> history = RecordedConfig.history(data);
        final List<Path> files = new ArrayList<>(history.values());
        final Path current = data.resolve(RecordedConfig.FILE);
        if (Files.isRegularFile(current)) {
            files.add(current);
        }
        final java.util.Set<Long> recordedFroms = new java.util.HashSet<>();
        for (final Path file : files) {
            final String name = data.relativize(file).toString();
            final long from;
            try {
                from = RecordedConfig.fromSequenceOf(file);
            } catch (final IOException e) {
                failures.add(name + " does not read: " + e.getMessage());
                continue;
            }
            recordedFroms.add(from);
            final String changed = RecordedConfig.unsealedChange(seals, file);
            final JournalSeals.Line sealed = seals.lastConfig(from);
            if (changed != null) {
                failures.add(changed);
            } else if (sealed == null && RecordedConfig.originOf(file)[0] != null) {
                // its "# recorded" line says a build that seals every configuration it records wrote it (SRE backup trial:
                // a copy without journal-seals.txt verified as "nothing to compare")
                failures.add(String.format("%s (in effect from sequence %,d) is not sealed, but the build that recorded it (%s)"
                        + " sealed it in %s: %s", name, from, RecordedConfig.originOf(file)[0], JournalSeals.FILE,
                        seals.lines().isEmpty() ? JournalSeals.FILE + " is missing or emptied (a copy made without it?), so"
                        + " nothing here can show whether the journal or the configuration changed since they were written"
                        : "its seal line was taken out"));
            } else if (sealed == null) {
                notes.add(String.format("%s (in effect from sequence %,d) is not sealed (recorded by a build before seals, or"
                        + " its seal deleted)", name, from));
            } else if ("1".equals(sealed.field("found"))) {
                notes.add(String.format("%s (in effect from sequence %,d) was sealed as found by a start at %s (%s line %d), not"
                        + " as it was written (recorded before seals, or its seal deleted)", name, from, sealed.field("at"),
                        JournalSeals.FILE, sealed.number()));
            }
        }
        for (final JournalSeals.Line l : seals.lines()) {
            if (JournalSeals.CONFIG.equals(l.kind()) && !recordedFroms.contains(l.from()) && seals.lastConfig(l.from()) == l
                    && l.from() <= journalLast && !covered(l.from(), history, current)) {
                // journaled events that no recorded file decided (SRE backup trial: a restore without ringfence-config.yaml
                // verified as "nothing sealed was changed" while replay re-decided them under the defaults)
                failures.add(String.format("%s line %d seals a configuration in effect from sequence %,d, and the journal's events"
                        + " from there are decided by no configuration recorded here (%s and %s/ hold none that covers them):"
                        + " replay and explain cannot re-decide them as they were decided; put the file back", JournalSeals.FILE,
                        l.number(), l.from(), RecordedConfig.FILE, RecordedConfig.HISTORY));
            } else if (JournalSeals.CONFIG.equals(l.kind()) && !recordedFroms.contains(l.from()) && seals.lastConfig(l.from()) == l) {
                notes.add(String.format("%s line %d seals a configuration in effect from sequence %,d that is not recorded here"
                        + " (%s and %s/ hold none from then)", JournalSeals.FILE, l.number(), l.from(), RecordedConfig.FILE,
                        RecordedConfig.HISTORY));
            }
        }
    }

    /** Whether a recorded file (a history entry up to its last sequence, or the current one from its first) covers {@code seq}. */
    private static boolean covered(final long seq, final java.util.NavigableMap<Long, Path> history, final Path current) {
        for (final java.util.Map.Entry<Long, Path> e : history.entrySet()) {
            try {
                if (RecordedConfig.fromSequenceOf(e.getValue()) <= seq && seq <= e.getKey()) {
                    return true;
                }
            } catch (final IOException unreadable) {
                return true; // said as a failure of its own above
            }
        }
        try {
            return Files.isRegularFile(current) && RecordedConfig.fromSequenceOf(current) <= seq;
        } catch (final IOException unreadable) {
            return true;
        }
    }
}
