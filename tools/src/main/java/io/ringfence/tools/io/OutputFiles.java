package io.ringfence.tools.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a command's output: {@code -} is stdout (never closed), anything else a file whose parent directories are created. */
public final class OutputFiles {
    private OutputFiles() {
    }

    public static OutputStream open(final String name) throws IOException {
        return open(name, false);
    }

    /**
     * Null when {@code out} (an output option's value; {@code -} or null for stdout or none) may be written, else why
     * not: it is the file {@code input} (null: stdin) that the command reads, by any path or link, and opening it for
     * writing would destroy what is to be read (audit: {@code run --input F --out F} emptied F, journaled nothing and
     * exited 0; {@code convert} replaced its CSV by the JSON Lines).
     */
    public static String sameAsInput(final String outOption, final String out, final String inOption, final Path input) {
        if (out == null || "-".equals(out)) {
            return null;
        }
        // stdin redirected from a file (review: run --input - --out F < F emptied F, read 0 lines and exited 0)
        final Path read = input != null ? input : Files.exists(STDIN) ? STDIN : null;
        if (read == null) {
            return null;
        }
        final Path path = Path.of(out);
        try {
            if (input == null && !Files.isRegularFile(read)) {
                return null; // stdin a terminal, pipe or /dev/null: nothing an output could destroy (review: cron's /dev/null)
            }
            if (Files.exists(path) && Files.exists(read) && Files.isSameFile(path, read)) {
                return outOption + " " + out + " is the file " + inOption + (input == null ? " (stdin)" : "")
                        + " reads: writing it would destroy the input before it was read; choose another " + outOption + " file";
            }
            // a command that writes whole writes NAME.partial first (openWhole): a run cut short leaves one, and feeding
            // it to the next run emptied it (review)
            final Path partial = path.getFileName() == null ? null : path.resolveSibling(path.getFileName() + ".partial");
            if (partial != null && Files.exists(partial) && Files.exists(read) && Files.isSameFile(partial, read)) {
                return outOption + " " + out + " is first written as " + partial + ", the file " + inOption
                        + (input == null ? " (stdin)" : "") + " reads: choose another " + outOption + " file";
            }
        } catch (final IOException e) {
            return null; // cannot tell: opening either says what is wrong
        }
        return null;
    }

    /** This process's standard input, where the system shows it as a link to what it reads. */
    private static final Path STDIN = Path.of("/proc/self/fd/0");

    /**
     * As {@link #sameAsInput} for every file a command reads besides its input ({@code --config}, {@code --model}; null
     * paths are skipped): the first clash, or null.
     */
    public static String sameAsAnyOf(final String outOption, final String out, final Object... optionsAndPaths) {
        for (int i = 0; i + 1 < optionsAndPaths.length; i += 2) {
            final Object p = optionsAndPaths[i + 1];
            if (p != null) {
                final String clash = sameAsInput(outOption, out, (String) optionsAndPaths[i], p instanceof Path path ? path : Path.of(p.toString()));
                if (clash != null) {
                    return clash;
                }
            }
        }
        return null;
    }

    /**
     * Null when {@code out} lies outside the data directory {@code data}, else why it may not be written: the directory
     * holds the journal's files, its recorded configuration and the snapshots, any of which an output file could replace
     * (review: {@code journal --data D --out D/20261206F.cq4} turned the journal into its own dump; {@code replay --out
     * D/ringfence-config.yaml} replaced the configuration the next replay needed). Links in the parents are followed.
     */
    public static String insideData(final String outOption, final String out, final String dataOption, final Path data) {
        if (out == null || "-".equals(out) || data == null) {
            return null;
        }
        try {
            final Path dir = Files.exists(data) ? data.toRealPath() : data.toAbsolutePath().normalize();
            Path file = Path.of(out).toAbsolutePath().normalize();
            if (file.getParent() != null && Files.exists(file.getParent())) {
                file = file.getParent().toRealPath().resolve(file.getFileName());
            }
            if (file.startsWith(dir)) {
                return outOption + " " + out + " is inside " + dataOption + " " + data + ", which holds the journal, its recorded"
                        + " configuration and snapshots: an output there could replace one of them; choose a file outside it";
            }
        } catch (final IOException e) {
            return null; // cannot tell: opening says what is wrong
        }
        return null;
    }

    /**
     * A command's input file option checked before anything is opened: null when {@code input} is a readable file (or a
     * pipe, device or link to one), else the message (review: a directory said "Is a directory", naming no path, exit 1).
     */
    public static String unreadableInput(final String option, final Path input) {
        if (Files.isDirectory(input)) {
            return option + " " + input + " is a directory, not a file";
        }
        if (!Files.isReadable(input)) {
            return option + " " + input + ": no such file or not readable";
        }
        return null;
    }

    /**
     * Refuses an output option's value that is a directory, as bad usage (exit 2) naming it; {@code -} and null pass. Every
     * open here checks; a command that reads its output first ({@code --resume}) calls it before that (analyst trial:
     * "Is a directory", exit 1, and a debug-flag hint; new-user trial: {@code load} and {@code subscribe} still said so).
     */
    public static void refuseDirectory(final String name) {
        if (name != null && !"-".equals(name) && Files.isDirectory(Path.of(name))) {
            throw new io.ringfence.engine.config.ConfigException("the output " + name + " is a directory: name a file (in it, say)");
        }
    }

    /**
     * As {@link #open(String)}, but a file's old content is kept until {@link KeptUntilBegun#begin} or the first write
     * (for commands that may fail to connect first); stdout as {@link #open(String)}, wrapped.
     */
    public static OutputStream openKeeping(final String name) throws IOException {
        if ("-".equals(name)) {
            return open(name);
        }
        refuseDirectory(name);
        final Path path = Path.of(name);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new KeptUntilBegun(path);
    }

    /**
     * As {@link #open(String)} for a file that is whole or not there: written as {@code NAME.partial} and renamed to
     * {@code NAME} by {@link #complete}; a command that fails before that leaves {@code NAME} as it was and says on
     * stderr where what it wrote went (a replay stopped by a damaged record left a partial file under the name the
     * user asked for, silently). Stdout as {@link #open(String)}.
     */
    public static OutputStream openWhole(final String name, final String command) throws IOException {
        if ("-".equals(name)) {
            return open(name);
        }
        final Path path = Path.of(name);
        refuseDirectory(name);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return open(name); // a device, pipe or link (/dev/null, >(gzip), /dev/stdout): written through, never replaced (review)
        }
        final Path partial = path.resolveSibling(path.getFileName() + ".partial");
        return new Whole(open(partial.toString()), partial, path, command);
    }

    /**
     * Lets an output whose writing failed go, quietly: an {@link #openWhole} file's partial file is deleted (its old
     * {@code NAME} stays), any other stream closed with its failure ignored (the command has said what failed).
     */
    public static void discard(final OutputStream out) {
        if (out instanceof Whole whole) {
            whole.discard();
            return;
        }
        try {
            out.close();
        } catch (final IOException e) {
            // the same failure again
        }
    }

    /** The file an {@link #openWhole} stream writes until {@link #complete}, or null for any other stream. */
    public static Path partialOf(final OutputStream out) {
        return out instanceof Whole whole ? whole.partial : null;
    }

    /** Renames an {@link #openWhole} file into place (flushed and closed first); nothing for any other stream. */
    public static void complete(final OutputStream out) throws IOException {
        if (out instanceof Whole whole) {
            whole.complete();
        }
    }

    /** A file written under a temporary name until complete. */
    private static final class Whole extends FilterOutputStream {
        private final Path partial;
        private final Path path;
        private final String command;
        private boolean completed;
        private boolean closed;
        private IOException renameFailed;
        /** The last flush, in {@link #complete}, failed (a full disk). */
        private IOException writeFailed;

        Whole(final OutputStream out, final Path partial, final Path path, final String command) {
            super(out);
            this.partial = partial;
            this.path = path;
            this.command = command;
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            out.write(b, off, len);
        }

        void complete() throws IOException {
            closed = true;
            try {
                out.close();
            } catch (final IOException e) {
                writeFailed = e;
                throw e;
            }
            try {
                Files.move(partial, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (final IOException e) {
                renameFailed = e;
                throw e;
            }
            completed = true;
        }

        void discard() {
            completed = true; // close() says nothing more
            closed = true;
            try {
                out.close();
            } catch (final IOException e) {
                // the failure the command reported
            }
            try {
                Files.deleteIfExists(partial);
            } catch (final IOException e) {
                // left behind: nothing better to do
            }
        }

        @Override
        public void close() throws IOException {
            if (completed) {
                return;
            }
            IOException closing = writeFailed;
            if (!closed) {
                closed = true;
                try {
                    out.close();
                } catch (final IOException e) { // a full disk fails the last flush: still say where the output is (review)
                    closing = e;
                }
            }
            if (renameFailed != null) {
                System.err.println("ringfence " + command + ": the output is whole in " + partial + " but could not be renamed to "
                        + path + ": " + renameFailed);
            } else if (closing != null) {
                Files.deleteIfExists(partial); // cut short by the failure, and holding the disk it filled
                System.err.println("ringfence " + command + ": could not write " + partial + " (" + closing.getMessage() + "): "
                        + whatOf(path) + "; the partial output was deleted");
            } else if (!Files.exists(partial) || Files.size(partial) == 0) {
                Files.deleteIfExists(partial);
                System.err.println("ringfence " + command + ": stopped before writing anything: " + whatOf(path));
            } else {
                System.err.println("ringfence " + command + ": stopped before the end: " + whatOf(path) + "; what"
                        + " was written before is in " + partial);
            }
            if (closing != null && closing != writeFailed) {
                throw closing;
            }
        }
    }

    /** What became of the output file of a run stopped before its end (audit: "left as it was" of a file never there). */
    private static String whatOf(final Path path) {
        return Files.exists(path) ? path + " was left as it was" : "no " + path + " was written";
    }

    /** Lets a {@link #openKeeping} file's old content go; nothing for any other stream. */
    public static void begin(final OutputStream out) throws IOException {
        if (out instanceof KeptUntilBegun kept) {
            kept.begin();
        }
    }

    /**
     * Standard output ({@code System.out}) as a buffered stream that reports failures (a reader that closed the pipe, a
     * full disk) as an IOException saying so; closing it flushes and leaves stdout open. System.out is a PrintStream,
     * which swallows write errors: each chunk passed to it is followed by its {@code checkError()} (review: {@code
     * generate --out - | head -1} wrote all 3 M events, {@code run --out - > /dev/full} and {@code replay --out -}
     * exited 0 with a summary of outputs no one got).
     */
    public static OutputStream stdout() {
        final java.io.PrintStream ps = System.out;
        final boolean[] failed = {false};
        final OutputStream checked = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                ps.write(b);
                check();
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                ps.write(b, off, len);
                check();
            }

            @Override
            public void flush() throws IOException {
                ps.flush();
                check();
            }

            private void check() throws IOException {
                if (ps.checkError()) {
                    failed[0] = true;
                    throw new IOException("standard output could not be written (its reader closed it, or its disk is full);"
                            + " stopped");
                }
            }
        };
        return new FilterOutputStream(new BufferedOutputStream(checked, 1 << 16)) {
            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!failed[0]) { // said once, by the write that failed
                    flush();
                }
            }
        };
    }

    /** As {@link #open(String)}; with {@code append} a file's content is kept and written after. */
    public static OutputStream open(final String name, final boolean append) throws IOException {
        if ("-".equals(name)) {
            return stdout();
        }
        refuseDirectory(name);
        final Path path = Path.of(name);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // a FileOutputStream, not a channel: the clients write answers and pushes on their I/O thread, which a close
        // interrupts when it does not stop within 100 ms, and an interrupted channel write closes the channel for good
        // (review: the answers still buffered would then be lost at the final flush)
        return new BufferedOutputStream(new java.io.FileOutputStream(path.toFile(), append), 1 << 16);
    }
}
