package io.ringfence.engine.codec;

import org.agrona.DirectBuffer;

/**
 * A reusable {@link CharSequence} over bytes of a buffer, one char per byte (ISO-8859-1), so
 * the text rules written for strings ({@link IpText}) can check an SBE char field in place,
 * without a copy or a {@code String}. Bytes above 0x7F read as chars U+0080..U+00FF, which no
 * ASCII rule accepts. {@link #toString()} allocates: use it for reject reasons only.
 */
final class AsciiView implements CharSequence {
    private DirectBuffer buffer;
    private int offset;
    private int length;

    AsciiView wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(final int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + ", length " + length);
        }
        return (char) (buffer.getByte(offset + index) & 0xff);
    }

    @Override
    public CharSequence subSequence(final int start, final int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = charAt(i);
        }
        return new String(chars);
    }
}
