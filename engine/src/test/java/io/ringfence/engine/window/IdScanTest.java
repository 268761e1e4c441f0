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
        final InboundEventAdapter second = new InboundEventAdapter();
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
                        // mostly short ids over a small alphabet, so the hash cache sees repeats and near misses
                        final int n = random.nextInt(4) == 0 ? random.nextInt(f.maxLength() + 1) : random.nextInt(17);
                        for (int i = 0; i < f.maxLength(); i++) {
                            final int v = random.nextBoolean() ? 1 + random.nextInt(255) : 'a' + random.nextInt(2);
                            b.putByte(at + i, (byte) (i < n ? v : random.nextInt(3) == 0 ? 7 : 0));
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
                    final int n = e.lengthAt(slot);
                    if (n < 16) {
                        long w0 = 0;
                        long w1 = 0;
                        for (int i = 0; i < n; i++) {
                            final long v = b.getByte(at + i) & 0xffL;
                            w0 |= i < 8 ? v << (8 * i) : 0;
                            w1 |= i >= 8 ? v << (8 * (i - 8)) : 0;
                        }
                        assertEquals(w0, e.word0At(slot));
                        assertEquals(w1, e.word1At(slot));
                    }
                    // a second event with the same bytes hits the hash cache: same answers
                    second.wrap(b, 0);
                    final int again = second.slot(f, line);
                    assertEquals(e.hashAt(slot), second.hashAt(again));
                    assertEquals(n, second.lengthAt(again));
                }
            }
            assertEquals(Ids.hash(b, e.currencyOffset(), 3), e.currencyHash());
        }
    }
}
