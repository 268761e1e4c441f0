package io.ringfence.engine.window;

import java.util.Arrays;

/**
 * Zeroed HyperLogLog register arrays ({@value DistinctSketch#REGISTERS} bytes each) shared by the
 * distinct-count sketches of one window. A sketch takes an array only when it passes its exact
 * bound and gives it back when its pane is released, so pooled, idle pane states hold none and
 * the window's register memory follows the panes that really estimate, not every pane state
 * ever made. Owned by the business thread; steady state allocates nothing.
 */
final class RegisterPool {
    private byte[][] free = new byte[16][];
    private int size;
    private int created;

    byte[] take() {
        if (size == 0) {
            created++;
            return new byte[DistinctSketch.REGISTERS];
        }
        final byte[] registers = free[--size];
        free[size] = null;
        return registers;
    }

    /** Takes back an array, zeroing it for its next user. */
    void giveBack(final byte[] registers) {
        Arrays.fill(registers, (byte) 0);
        if (size == free.length) {
            free = Arrays.copyOf(free, size * 2);
        }
        free[size++] = registers;
    }

    int created() {
        return created;
    }

    int available() {
        return size;
    }
}
