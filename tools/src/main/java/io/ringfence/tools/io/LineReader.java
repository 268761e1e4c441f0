package io.ringfence.tools.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as bytes, with a hard limit on line length: a longer line is reported as oversize
 * (its length counted, its bytes skipped) instead of being buffered, so a hostile file cannot
 * exhaust memory. A line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (the classic
 * Mac ending, which would otherwise make a whole file one line; the CSV reader of {@code convert}
 * takes all three too); a last line without an ending is still a line. Reuses one buffer: the
 * bytes are valid until the next call.
 */
public final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[8192];
    private int lineLength;
    private long oversizeLength;
    private long lineNumber;
    private long bytesRead;
    private boolean eof;
    /** The last line ended at a {@code \r}: a {@code \n} right after it belongs to that ending. */
    private boolean afterCr;

    public LineReader(final InputStream in, final int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads the next line; false at end of input. */
    public boolean next() throws IOException {
        lineLength = 0;
        oversizeLength = -1;
        long length = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                if (eof || !fill()) {
                    if (!any) {
                        return false;
                    }
                    break;
                }
            }
            if (afterCr) {
                afterCr = false;
                if (chunk[chunkPos] == '\n') {
                    chunkPos++;
                    continue;
                }
            }
            any = true;
            final int start = chunkPos;
            int i = start;
            byte b = 0;
            while (i < chunkEnd && (b = chunk[i]) != '\n' && b != '\r') {
                i++;
            }
            final int n = i - start;
            append(start, n, length);
            length += n;
            chunkPos = i;
            if (i < chunkEnd) {
                chunkPos++;
                afterCr = b == '\r';
                break;
            }
        }
        lineNumber++;
        if (length > maxLineBytes) {
            oversizeLength = length;
            lineLength = 0;
        }
        return true;
    }

    private void append(final int from, final int n, final long soFar) {
        if (soFar + n > maxLineBytes) {
            return;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, lineLength + n), maxLineBytes + 1));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    private boolean fill() throws IOException {
        final int n = in.read(chunk, 0, chunk.length);
        if (n <= 0) {
            eof = true;
            chunkPos = chunkEnd = 0;
            return false;
        }
        chunkPos = 0;
        chunkEnd = n;
        bytesRead += n;
        return true;
    }

    /** The current line's bytes (valid until the next call), without the newline. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return lineLength;
    }

    /** True when the current line was longer than the limit (its bytes are not available). */
    public boolean oversize() {
        return oversizeLength >= 0;
    }

    /** Length of the current oversize line in bytes. */
    public long oversizeLength() {
        return oversizeLength;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Bytes consumed from the stream so far (progress). */
    public long bytesRead() {
        return bytesRead;
    }

    /** True when the current line is empty or only whitespace. */
    public boolean blank() {
        for (int i = 0; i < lineLength; i++) {
            final byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return !oversize();
    }
}
