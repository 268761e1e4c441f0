package io.ringfence.journal;

import java.io.File;

/**
 * A record on disk whose version, length, CRC32C or sequence does not verify. The journal never skips
 * such a record: the reader stays positioned on it and every further {@code next()} throws again.
 */
public final class JournalCorruptException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final long sequence;
    private final String reason;
    private final long chronicleIndex;
    private final transient File file;

    /**
     * @param sequence       the sequence the record should have had (or the one it claims when the reader
     *                       had no expectation yet); {@code -1} if unknown
     * @param chronicleIndex the Chronicle index of the excerpt holding the record; {@code -1} if none (a file without one)
     * @param file           the .cq4 file holding the record, or {@code null} if unknown
     */
    public JournalCorruptException(String reason, long sequence, long chronicleIndex, File file) {
        this(reason, sequence, chronicleIndex, JournalView.original(file), (Void) null);
    }

    /** With {@code file} as the data directory names it (never a view's link, deleted on close). */
    private JournalCorruptException(String reason, long sequence, long chronicleIndex, File file, Void original) {
        super("corrupt journal record " + (sequence >= 0 ? "at sequence " + sequence : "(its sequence unknown)")
                + (chronicleIndex >= 0 ? ", Chronicle index 0x" + Long.toHexString(chronicleIndex) : "")
                + (file != null ? ", file " + file : "")
                + ": " + reason);
        this.sequence = sequence;
        this.reason = reason;
        this.chronicleIndex = chronicleIndex;
        this.file = file;
    }

    /** The sequence the bad record should have had, or -1 if unknown. */
    public long sequence() {
        return sequence;
    }

    /** What is wrong with the record, without its position. */
    public String reason() {
        return reason;
    }

    /** The Chronicle index of the excerpt holding the bad record. */
    public long chronicleIndex() {
        return chronicleIndex;
    }

    /** The .cq4 file holding the bad record, or null if unknown. */
    public File file() {
        return file;
    }
}
