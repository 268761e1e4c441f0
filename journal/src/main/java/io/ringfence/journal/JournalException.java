package io.ringfence.journal;

/**
 * A journal operation that could not be carried out. The message says what was attempted, where
 * (sequence, Chronicle index, directory or file) and why.
 */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
