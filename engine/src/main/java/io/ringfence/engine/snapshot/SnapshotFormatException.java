package io.ringfence.engine.snapshot;

/** Snapshot content that does not match the state this engine expects (what, and where in the content). */
public final class SnapshotFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(final String message) {
        super(message);
    }
}
