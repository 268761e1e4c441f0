package io.ringfence.tools.convert;

/**
 * The input file cannot be converted: a row has the wrong number of columns, a value does not
 * parse, an identifier is too long, the file is damaged. Carries the file, the physical line
 * (1-based; the header is line 1) and the reason, so the command can report all three and exit 2.
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String reason;

    public BadInputException(final String source, final long line, final String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
