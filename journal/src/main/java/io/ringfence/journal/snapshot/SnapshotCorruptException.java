package io.ringfence.journal.snapshot;

import java.nio.file.Path;

/** A snapshot file that cannot be used: says which file and why. */
public final class SnapshotCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final boolean damaged;

    /** Its bytes are wrong: cut short, bad CRC, not a snapshot at all. */
    public SnapshotCorruptException(final Path path, final String why) {
        this(path, why, true);
    }

    /** @param damaged whether its bytes are wrong, rather than unreadable now or of a format this version does not read */
    public SnapshotCorruptException(final Path path, final String why, final boolean damaged) {
        super("snapshot " + path + " is unusable: " + why);
        this.path = path;
        this.damaged = damaged;
    }

    /** It could not be read (I/O): not known to be damaged. */
    public SnapshotCorruptException(final Path path, final String why, final Throwable cause) {
        super("snapshot " + path + " is unusable: " + why, cause);
        this.path = path;
        this.damaged = false;
    }

    /** Whether the file's bytes are wrong (start-up sets such a file aside), not merely unreadable now or of another format. */
    public boolean damaged() {
        return damaged;
    }

    public Path path() {
        return path;
    }
}
