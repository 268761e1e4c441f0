package io.ringfence.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A temporary directory of symbolic links to some of a journal's cycle files, for Chronicle to read instead of the
 * data directory: Chronicle lists a directory's files itself and waits forever on a cycle file without a header, so
 * a journal whose last cycle file has none is read through a view without it ({@link CycleFileHeaders}). Only for
 * reading; Chronicle's own metadata file is created in the view, never in the data directory. Deleted on close.
 */
final class JournalView implements AutoCloseable {
    private final Path directory;

    private JournalView(final Path directory) {
        this.directory = directory;
    }

    /** A view of {@code files} (cycle files of one journal directory). */
    static JournalView of(final List<Path> files) {
        final Path directory;
        try {
            directory = Files.createTempDirectory("ringfence-journal-view-");
        } catch (IOException e) {
            throw new JournalException("cannot create a temporary directory to read the journal's readable cycle files"
                    + " through: " + e, e);
        }
        final JournalView view = new JournalView(directory);
        try {
            for (final Path file : files) {
                Files.createSymbolicLink(directory.resolve(file.getFileName()), file.toAbsolutePath());
            }
        } catch (IOException | UnsupportedOperationException e) {
            view.close();
            throw new JournalException("cannot link the journal's readable cycle files into " + directory + ": " + e, e);
        }
        return view;
    }

    Path directory() {
        return directory;
    }

    /** Deletes the view: its links and what Chronicle created there, never a linked file. */
    @Override
    public void close() {
        try (Stream<Path> entries = Files.list(directory)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(entry); // a link is deleted, not its target
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JournalView.class).warn("cannot delete the journal view {}: {}", directory, e.toString());
        }
    }
}
