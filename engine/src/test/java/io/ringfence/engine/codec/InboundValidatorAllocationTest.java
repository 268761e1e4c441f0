package io.ringfence.engine.codec;

import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validating a valid message allocates nothing: after a warm-up, 1,000,000 valid orders (ids with
 * multi-byte UTF-8, IPv4 and IPv6 text, up to five item lines) allocate 0 bytes on this thread.
 *
 * <p>The orders come from {@link RandomEvents}, pre-encoded once into a ring of 1,000. A
 * throw-away run first takes the JIT through its compilations. Tolerance, as in the window
 * stage's AllocationTest: {@value #JIT_TOLERANCE_BYTES} bytes in total, for a recompilation that
 * lands in the measured window; a real per-message allocation of even 8 bytes would be 8 MB here.
 */
class InboundValidatorAllocationTest {
    private static final int RING = 1_000;
    private static final int SLOT = 1_024;
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final long JIT_TOLERANCE_BYTES = 1_024;

    private final UnsafeBuffer orders = new UnsafeBuffer(new byte[RING * SLOT]);
    private final int[] lengths = new int[RING];
    private final InboundValidator validator = new InboundValidator();

    @Test
    void shouldNotAllocateWhileValidatingValidOrders() {
        final RandomEvents events = new RandomEvents(42);
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(SLOT);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int items = 0;
        for (int n = 0; n < RING; ) {
            final int length = events.next(scratch);
            if (header.wrap(scratch, 0).templateId() == OrderDecoder.TEMPLATE_ID) {
                assertTrue(length <= SLOT);
                orders.putBytes(n * SLOT, scratch, 0, length);
                lengths[n++] = length;
                items += scratch.getShort(MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.BLOCK_LENGTH + 2, ByteOrder.LITTLE_ENDIAN) & 0xffff;
            }
        }
        assertTrue(items > RING, "orders carry item lines");
        assertEquals(WARM_UP, validateAll(WARM_UP), "warm-up: every order is valid");

        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int valid = validateAll(MEASURED);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(MEASURED, valid);
        assertTrue(allocated < JIT_TOLERANCE_BYTES, "bytes allocated validating " + MEASURED + " valid orders: " + allocated);
    }

    private int validateAll(final int count) {
        int valid = 0;
        for (int i = 0; i < count; i++) {
            final int slot = i % RING;
            if (validator.validate(orders, slot * SLOT, lengths[slot]) == InboundValidator.VALID) {
                valid++;
            }
        }
        return valid;
    }
}
