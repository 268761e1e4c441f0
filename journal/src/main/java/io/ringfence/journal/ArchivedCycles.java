package io.ringfence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a data directory records of its cycle files moved to an archive ({@value #FILE}): one line per file, with the
 * sequences it holds and where it went. The journal in the directory then starts after them: every command that opens
 * it checks the line against the files (a file moved away by hand is still refused), and readers read the archived
 * files with the directory's own when they are there ({@link Journal#open}).
 *
 * <p>A line is written, and forced to disk, after the file's copy is complete in the archive and before the file is
 * deleted from the data directory: a crash in between leaves the file in both places, which reads as before.
 */
public final class ArchivedCycles {
    /** The record's name in the data directory. */
    public static final String FILE = "journal-archive.txt";
    private static final String HEADER = "# ringfence journal archive: cycle files moved out of this directory."
            + " Each line: name, first sequence, last sequence, where it is (tab-separated; relative to this directory when"
            + " under it). Do not edit.\n";

    /**
     * One archived cycle file.
     *
     * @param name          its name ({@code 20261205F.cq4})
     * @param firstSequence the first sequence it holds
     * @param lastSequence  the last; {@code firstSequence - 1} for a file without records
     * @param file          where it was moved
     */
    public record Entry(String name, long firstSequence, long lastSequence, Path file) {
    }

    private final Path record;
    private final List<Entry> entries;

    private ArchivedCycles(final Path record, final List<Entry> entries) {
        this.record = record;
        this.entries = List.copyOf(entries);
    }

    /**
     * The record of {@code dataDirectory}; empty when it has none.
     *
     * @throws JournalException naming the line that does not read
     */
    public static ArchivedCycles of(final Path dataDirectory) {
        final Path record = dataDirectory.resolve(FILE);
        final List<String> lines;
        try {
            lines = wholeLines(record);
        } catch (final NoSuchFileException e) {
            return new ArchivedCycles(record, List.of());
        } catch (final IOException e) {
            throw new JournalException("cannot read " + record + ", the record of the journal's archived cycle files: " + e, e);
        }
        final List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.split("\t", 4);
            try {
                if (f.length != 4 || !JournalConfig.isCycleName(f[0].replaceFirst("\\.cq4$", "")) || !f[0].endsWith(".cq4")) {
                    throw new IllegalArgumentException("expected: cycle file name, first sequence, last sequence, path");
                }
                final long first = Long.parseLong(f[1]);
                final long last = Long.parseLong(f[2]);
                if (first < 1 || last < first - 1) {
                    throw new IllegalArgumentException("sequences " + first + ".." + last + " are no range");
                }
                final Path where = Path.of(f[3]);
                // an archive under the data directory is recorded relative to it: it moves and copies with it
                entries.add(new Entry(f[0], first, last, where.isAbsolute() ? where : dataDirectory.resolve(where).normalize()));
            } catch (final IllegalArgumentException e) { // a number or a path (InvalidPathException) that does not parse
                // a whole line that does not read: an edit (an unfinished last line is left out above)
                throw new JournalException(record + " line " + (i + 1) + " does not read (" + e.getMessage() + "): '" + line
                        + "'; it records the journal's cycle files moved to the archive, and without it the journal's start"
                        + " cannot be told from missing files: restore it from a backup", e);
            }
        }
        entries.sort(Comparator.comparingLong(Entry::firstSequence));
        return new ArchivedCycles(record, entries);
    }

    /**
     * The last sequence of the archived files that are no longer in the data directory and run without a gap from
     * sequence 1 (0 when none): what the directory's own files continue.
     */
    public long movedThrough() {
        long through = 0;
        for (final Entry e : entries) {
            if (e.firstSequence() > through + 1 || Files.exists(record.resolveSibling(e.name()))) {
                break;
            }
            through = Math.max(through, e.lastSequence());
        }
        return through;
    }

    /**
     * Writes into {@code directory} the record of those of these files that {@link #movedThrough()} counts, as the lines
     * were (a repaired journal's directory, whose own files continue them).
     */
    public void copyMovedTo(final Path directory) throws IOException {
        final long through = movedThrough();
        final StringBuilder lines = new StringBuilder(HEADER);
        for (final String line : wholeLines(record)) {
            final String[] f = line.split("\t", 4);
            if (!line.startsWith("#") && f.length == 4 && Long.parseLong(f[2]) <= through) {
                lines.append(line).append('\n');
            }
        }
        Files.writeString(directory.resolve(FILE), lines.toString(), StandardCharsets.UTF_8);
    }

    /** Whether no cycle file was archived. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The archived files, by sequence. */
    public List<Entry> entries() {
        return entries;
    }

    /** Whether the file named {@code name} (of the data directory) was archived. */
    public boolean archived(final String name) {
        return entries.stream().anyMatch(e -> e.name().equals(name));
    }

    /**
     * The last sequence of the archived files that run without a gap from sequence 1; 0 when none does. A journal
     * whose directory starts at sequence {@code through() + 1} (or before it) lacks nothing.
     */
    public long through() {
        long through = 0;
        for (final Entry e : entries) {
            if (e.firstSequence() > through + 1) {
                break;
            }
            through = Math.max(through, e.lastSequence());
        }
        return through;
    }

    /** The archived files not (or no longer) where the record says they are. */
    public List<Entry> unreachable() {
        return entries.stream().filter(e -> !Files.isRegularFile(e.file())).toList();
    }

    /** The record's path. */
    public Path path() {
        return record;
    }

    /** Adds {@code entry} to the record of {@code dataDirectory}, forced to disk before this returns. */
    static void append(final Path dataDirectory, final Entry entry) throws IOException {
        append(dataDirectory, entry, false);
    }

    /**
     * The same; {@code inParent}: the journal is one of a data directory's (the answers log in {@code DATA/answers}), so an
     * archive under that data directory is recorded relative too ({@code ../archive/answers/...}): it moves and copies with
     * the data directory (review 2026-12-07: recorded by its absolute path, a restored backup read the original's place).
     */
    static void append(final Path dataDirectory, final Entry entry, final boolean inParent) throws IOException {
        final Path record = dataDirectory.resolve(FILE);
        final boolean fresh = !Files.exists(record);
        final Path data = dataDirectory.toAbsolutePath().normalize();
        final Path file = entry.file().toAbsolutePath().normalize();
        final Path holder = inParent && data.getParent() != null ? data.getParent() : data;
        final String where = file.startsWith(holder) ? data.relativize(file).toString() : file.toString();
        if (!fresh) {
            dropUnfinishedLine(record);
        }
        final String line = (fresh ? HEADER : "") + entry.name() + '\t' + entry.firstSequence() + '\t' + entry.lastSequence()
                + '\t' + where + '\n';
        try (FileChannel channel = FileChannel.open(record, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            final ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        if (fresh) {
            forceDirectory(dataDirectory);
        }
    }

    /**
     * The record's lines that end in a newline: a last line cut by a power loss as it was written (forcing is not
     * atomic) is left out; its file was not yet deleted from the data directory, so it is read there and recorded again
     * by the next pass (trial: such a line made every command refuse the journal).
     */
    private static List<String> wholeLines(final Path record) throws IOException {
        final byte[] bytes = Files.readAllBytes(record);
        int whole = bytes.length;
        while (whole > 0 && bytes[whole - 1] != '\n') {
            whole--; // cut before decoding: a line cut inside a multi-byte character does not decode (review)
        }
        return whole == 0 ? List.of() : List.of(new String(bytes, 0, whole - 1, StandardCharsets.UTF_8).split("\n", -1));
    }

    /** Cuts a last line without its newline (a write a power loss cut), so that the next line starts a line. */
    private static void dropUnfinishedLine(final Path record) throws IOException {
        try (FileChannel channel = FileChannel.open(record, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = channel.size();
            final ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < channel.size()) {
                channel.truncate(end);
                channel.force(true);
            }
        }
    }

    /** Forces a directory's entries (a new file's name) to disk, where the file system allows it. */
    static void forceDirectory(final Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be opened or forced; the file's own data is forced
        }
    }
}
