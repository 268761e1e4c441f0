package io.ringfence.engine.window;

import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The adapter's one-pass id scan gives exactly Ids.hash and Ids.length, whatever the bytes. */
class IdScanTest {
    @Test
    void shouldMatchIdsHashAndLengthForEveryFieldShape() {
        final SplittableRandom random = new SplittableRandom(5);
        final InboundEventAdapter e = new InboundEventAdapter();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final OrderEncoder order = new OrderEncoder();
        for (int round = 0; round < 20_000; round++) {
            // exact-size buffer: the last item's category ends at the buffer's end
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[2048]);
            order.wrapAndApplyHeader(scratch, 0, header).eventTime(1).amount(1).currency("EUR");
            final int lines = random.nextInt(3);
            final OrderEncoder.ItemsEncoder items = order.itemsCount(lines);
            for (int i = 0; i < lines; i++) {
                items.next().qty(1).unitPrice(1);
            }
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
            final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
            b.putBytes(0, scratch, 0, length);
            e.wrap(b, 0);
            // random bytes (any values, NULs anywhere) into every id field
            for (final KeyField f : KeyField.values()) {
                for (int line = 0; line < Math.max(1, lines); line++) {
                    final int at = e.offsetOf(f, line);
                    if (at >= 0) {
                        final int n = random.nextInt(f.maxLength() + 1);
                        for (int i = 0; i < f.maxLength(); i++) {
                            b.putByte(at + i, (byte) (i < n ? 1 + random.nextInt(255) : random.nextInt(3) == 0 ? 7 : 0));
                        }
                        if (n < f.maxLength() && random.nextBoolean()) {
                            b.putByte(at + n, (byte) 0);
                        }
                    }
                }
            }
            e.wrap(b, 0);
            for (final KeyField f : KeyField.values()) {
                for (int line = -1; line <= lines; line++) {
                    final int at = e.offsetOf(f, line);
                    final int slot = e.slot(f, line);
                    if (at < 0) {
                        assertEquals(-1, slot);
                        continue;
                    }
                    assertEquals(at, e.offsetAt(slot));
                    assertEquals(Ids.length(b, at, f.maxLength()), e.lengthAt(slot), f + " line " + line);
                    assertEquals(Ids.hash(b, at, f.maxLength()), e.hashAt(slot), f + " line " + line);
                }
            }
            assertEquals(Ids.hash(b, e.currencyOffset(), 3), e.currencyHash());
        }
    }
}
