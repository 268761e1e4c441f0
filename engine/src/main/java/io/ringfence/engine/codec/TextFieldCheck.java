package io.ringfence.engine.codec;

import org.agrona.DirectBuffer;

/**
 * The text rules of an event's id fields (well-formed UTF-8, no control characters, only NUL bytes after
 * the text) for a NUL-padded char field outside an event, such as a {@code Subscribe}'s filter, refused in
 * the same words as an event's field. One instance per thread; allocates only a refusal's text.
 */
public final class TextFieldCheck {
    private final PaddedText text = new PaddedText();

    /**
     * @return null when the field is well-formed ({@link #length()} then holds its text's length), else why not
     */
    public String problem(final DirectBuffer buffer, final int offset, final int capacity, final String field) {
        return text.scan(buffer, offset, capacity, true) ? null : text.describe(buffer, offset, field, -1);
    }

    /** Bytes of text before the first NUL of the field last checked well-formed. */
    public int length() {
        return text.length;
    }
}
