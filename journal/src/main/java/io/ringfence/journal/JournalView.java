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
    private static final String PREFIX = "ringfence-journal-view-";
    private static final String METADATA = "metadata.cq4t";
    private final Path directory;

    private JournalView(final Path directory) {
        this.directory = directory;
    }

    /** A view of {@code files} (cycle files of one journal directory). */
    static JournalView of(final List<Path> files) {
        final Path directory;
        try {
            directory = Files.createTempDirectory(PREFIX);
            directory.toFile().deleteOnExit(); // SIGTERM or Ctrl-C while reading: links and Chronicle's file go too
        } catch (IOException e) {
            throw new JournalException("cannot create a temporary directory to read the journal's readable cycle files"
                    + " through: " + e, e);
        }
        final JournalView view = new JournalView(directory);
        try {
            directory.resolve(METADATA).toFile().deleteOnExit(); // created by Chronicle; deleted at exit before the directory
            for (final Path file : files) {
                final Path link = Files.createSymbolicLink(directory.resolve(file.getFileName()), file.toAbsolutePath());
                link.toFile().deleteOnExit();
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

    /**
     * The data directory's file behind {@code file} when it is a view's link (what messages should name: the view is
     * deleted on close), else {@code file} itself.
     */
    static java.io.File original(final java.io.File file) {
        if (file == null || !file.getName().endsWith(".cq4") || file.getParentFile() == null
                || !file.getParentFile().getName().startsWith(PREFIX)) {
            return file;
        }
        try {
            final Path path = file.toPath();
            return Files.isSymbolicLink(path) ? Files.readSymbolicLink(path).toFile() : file;
        } catch (IOException | UnsupportedOperationException e) {
            return file;
        }
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
