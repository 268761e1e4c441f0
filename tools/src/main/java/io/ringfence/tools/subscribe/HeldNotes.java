package io.ringfence.tools.subscribe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Notes the client's I/O thread writes while {@code subscribe} is still logging on (a catch-up can be
 * reported before the banner that says what is subscribed), held until {@link #release} and then written in
 * order; after that they pass straight through.
 */
final class HeldNotes extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean holding = true;

    HeldNotes(final PrintStream target) {
        this.target = target;
    }

    /** A stream to print notes to. */
    PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(final int b) {
        if (holding) {
            held.write(b);
        } else {
            target.write(b);
        }
    }

    @Override
    public synchronized void write(final byte[] b, final int off, final int len) {
        if (holding) {
            held.write(b, off, len);
        } else {
            target.write(b, off, len);
        }
    }

    @Override
    public synchronized void flush() {
        if (!holding) {
            target.flush();
        }
    }

    /** Writes what was held and lets the rest through. */
    synchronized void release() {
        if (holding) {
            holding = false;
            try {
                held.writeTo(target);
            } catch (final IOException e) {
                throw new IllegalStateException(e); // a PrintStream target does not throw
            }
            target.flush();
        }
    }
}
