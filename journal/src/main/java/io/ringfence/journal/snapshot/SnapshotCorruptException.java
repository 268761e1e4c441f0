package io.ringfence.journal.snapshot;

import java.nio.file.Path;

/** A snapshot file that cannot be used: says which file and why. */
public final class SnapshotCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public SnapshotCorruptException(final Path path, final String why) {
        super("snapshot " + path + " is unusable: " + why);
        this.path = path;
    }

    public SnapshotCorruptException(final Path path, final String why, final Throwable cause) {
        super("snapshot " + path + " is unusable: " + why, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
