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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a data directory against its seals ({@link JournalSeals}): the file's lines follow each other and carry the
 * key's HMAC; the journal's records give, at each seal, the chain the seal names; each recorded configuration is the
 * file that was sealed when it was written. A changed record shows as the range between the last seal that still holds
 * and the first that does not (each seal is checked on its own: the chain goes on from the sealed value, so every
 * changed range is named, not only the first).
 */
final class SealCheck {
    /** What was found: failures make the check fail, notes do not. */
    record Result(List<String> failures, List<String> notes, long from, long through, String chain, long sealsChecked) {
        boolean holds() {
            return failures.isEmpty();
        }
    }

    /**
     * A chain value to compare with, kept elsewhere from an earlier {@code verify}: {@code FROM..SEQ:HEX}.
     */
    record Expected(long from, long sequence, String chain) {
        static Expected parse(final String text) {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.\\.(\\d+):([0-9a-f]{64})").matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--expect is FROM..SEQ:CHAIN as verify prints it (e.g. 1..52000:"
                        + "3f2a...64 hex digits), not '" + text + "'");
            }
            return new Expected(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
        }
    }

    private final Path data;
    private final byte[] key;
    private final Expected expected;
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    SealCheck(final Path data, final byte[] key, final Expected expected) {
        this.data = data;
        this.key = key;
        this.expected = expected;
    }

    Result run(final Journal journal) {
        final JournalSeals.Contents seals = JournalSeals.read(data);
        for (final String p : seals.problems()) {
            notes.add(seals.file().getFileName() + " " + p + " (left out)");
        }
        checkLines(seals);
        final List<JournalSeals.Line> sealLines = seals.lines().stream().filter(l -> JournalSeals.SEAL.equals(l.kind())).toList();
        final long first = Math.max(1, journal.firstSequence());
        final long from = sealLines.isEmpty() ? first : sealLines.get(sealLines.size() - 1).from();
        final List<JournalSeals.Line> chainSeals = new ArrayList<>();
        for (final JournalSeals.Line l : sealLines) {
            if (l.from() == from) {
                chainSeals.add(l);
            } else {
                notes.add(String.format("%s line %d seals a chain from sequence %,d, not the file's last one (from %,d): not"
                        + " checked", seals.file().getFileName(), l.number(), l.from(), from));
            }
        }
        if (expected != null && expected.from() != from) {
            failures.add(String.format("--expect names the chain from sequence %,d, but the journal's seals chain from %,d:"
                    + " the seals were begun anew since that value was kept (a set-aside %s.* file says when)", expected.from(),
                    from, JournalSeals.FILE));
        }
        final long last = journal.lastSequence();
        final SealChain chain = chainOver(journal, from, last, chainSeals);
        if (!chainSeals.isEmpty() && chainSeals.get(chainSeals.size() - 1).sequence() > chain.last()) {
            final JournalSeals.Line beyond = chainSeals.get(chainSeals.size() - 1);
            failures.add(String.format("the seals go to sequence %,d (line %d, %s) but the journal ends at %,d: records"
                    + " sealed then are gone (cut, or files removed)", beyond.sequence(), beyond.number(), beyond.field("at"),
                    chain.last()));
        }
        if (sealLines.isEmpty()) {
            notes.add("the journal has no seals (written by a build before them, or with journal.sealEvery: 0s): its chain is"
                    + " computed here, not compared");
        } else if (chain.last() > chainSeals.get(chainSeals.size() - 1).sequence()) {
            notes.add(String.format("%,d events after the last seal (sequence %,d) are not sealed yet (a server writing, or one"
                    + " stopped by kill -9 before its next seal)", chain.last() - chainSeals.get(chainSeals.size() - 1).sequence(),
                    chainSeals.get(chainSeals.size() - 1).sequence()));
        }
        if (expected != null && expected.from() == from && expected.sequence() > chain.last()) {
            failures.add(String.format("--expect names sequence %,d; the journal ends at %,d: records are gone",
                    expected.sequence(), chain.last()));
        }
        checkConfigurations(seals);
        return new Result(List.copyOf(failures), List.copyOf(notes), from, chain.last(), chain.hex(), chainSeals.size());
    }

    /** Each line names the one before it, and carries the key's HMAC when a key is given. */
    private void checkLines(final JournalSeals.Contents seals) {
        String prev = JournalSeals.NO_PREVIOUS;
        int previousLine = 0;
        boolean macs = false;
        for (final JournalSeals.Line l : seals.lines()) {
            if (!prev.equals(l.field("prev"))) {
                failures.add(String.format("%s line %d does not follow %s: a line was taken out, added or changed there",
                        seals.file().getFileName(), l.number(), previousLine == 0 ? "the file's start" : "line " + previousLine));
            }
            macs |= l.field("mac") != null;
            if (key != null) {
                if (l.field("mac") == null) {
                    failures.add(String.format("%s line %d carries no MAC: written without the key (by a server without"
                            + " journal.sealKey, or by hand)", seals.file().getFileName(), l.number()));
                } else if (!JournalSeals.mac(key, l.body()).equals(l.field("mac"))) {
                    failures.add(String.format("%s line %d: its MAC does not match under this key: changed since it was"
                            + " written, or written under another key", seals.file().getFileName(), l.number()));
                }
            }
            prev = l.digest();
            previousLine = l.number();
        }
        if (key == null && macs) {
            notes.add("the seals carry MACs, not checked: give --key FILE (journal.sealKey) to check them");
        } else if (key == null && !seals.lines().isEmpty()) {
            notes.add("the seals carry no MAC (no journal.sealKey): they show damage and changes made without rewriting "
                    + JournalSeals.FILE + " too; keep the chain value printed below elsewhere, or configure a key");
        }
    }

    /** The chain over {@code from..last}, compared with each seal and {@code expected} as it passes them. */
    private SealChain chainOver(final Journal journal, final long from, final long last, final List<JournalSeals.Line> seals) {
        SealChain chain = new SealChain(from);
        if (last < from) {
            return chain;
        }
        journal.requireFrom(from, "verify");
        int next = 0;
        long lastHeld = from - 1;
        try (JournalReader reader = journal.reader();
             Progress progress = Progress.start("verify", last - from + 1, "events", 1)) {
            if (!reader.seek(from)) {
                return chain;
            }
            final SealChain[] current = {chain};
            while (true) {
                try {
                    if (!reader.next(current[0]::add)) {
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
                final long seq = current[0].last();
                if ((seq & 0xffff) == 0) {
                    progress.stepTo(seq - from + 1);
                }
                if (expected != null && expected.from() == from && expected.sequence() == seq
                        && !expected.chain().equals(current[0].hex())) {
                    failures.add(String.format("the chain through sequence %,d is not the value kept (--expect): a record in"
                            + " %,d..%,d was changed since", seq, from, seq));
                }
                while (next < seals.size() && seals.get(next).sequence() == seq) {
                    final JournalSeals.Line seal = seals.get(next++);
                    if (!seal.field("chain").equals(current[0].hex())) {
                        failures.add(String.format("sequences %,d..%,d were changed after they were sealed (%s line %d, %s):"
                                + " the chain the records give there is not the one sealed", lastHeld + 1, seq, JournalSeals.FILE,
                                seal.number(), seal.field("at")));
                        // carried on from the sealed value: each later seal is checked on its own
                        current[0] = new SealChain(from, seq, HexFormat.of().parseHex(seal.field("chain")));
                    }
                    lastHeld = seq;
                }
                while (next < seals.size() && seals.get(next).sequence() < seq) {
                    next++; // a seal line out of order: said by the line check's prev, nothing to compare here
                }
            }
            chain = current[0];
        }
        return chain;
    }

    /** Each recorded configuration file against the last seal written for its first sequence. */
    private void checkConfigurations(final JournalSeals.Contents seals) {
        final List<Path> files = new ArrayList<>(RecordedConfig.history(data).values());
        final Path current = data.resolve(RecordedConfig.FILE);
        if (java.nio.file.Files.isRegularFile(current)) {
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
            final String changed = RecordedConfig.unsealedChange(data, file);
            if (changed != null) {
                failures.add(changed);
            } else if (seals.lastConfig(from) == null) {
                notes.add(String.format("%s (in effect from sequence %,d) is not sealed (recorded by a build before seals, or"
                        + " with sealing off)", name, from));
            }
        }
        for (final JournalSeals.Line l : seals.lines()) {
            if (JournalSeals.CONFIG.equals(l.kind()) && !recordedFroms.contains(l.from()) && seals.lastConfig(l.from()) == l) {
                notes.add(String.format("%s line %d seals a configuration in effect from sequence %,d that is not recorded here"
                        + " (%s and %s/ hold none from then)", JournalSeals.FILE, l.number(), l.from(), RecordedConfig.FILE,
                        RecordedConfig.HISTORY));
            }
        }
    }
}
