package io.ringfence.journal;

/**
 * Another process writes the data directory ({@link DataDirectoryLock}); the message names it.
 * An expected condition, not a fault: commands report the message alone.
 */
public final class DataDirectoryInUseException extends JournalException {
    private static final long serialVersionUID = 1L;

    public DataDirectoryInUseException(final String message) {
        super(message);
    }
}
