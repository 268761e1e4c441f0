package io.ringfence.gateway.frame;

import io.ringfence.gateway.testing.Frames;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * The framing property on many seeded random inputs on every build: valid frame streams,
 * streams with one byte flipped, header fields replaced by edge values, and plain garbage,
 * each split at random points. Complements the Jazzer fuzz test, which under plain
 * {@code mvn verify} only replays its seeds.
 */
class FrameDecoderPropertyTest {
    private static final int MAX_FRAME = 512;
    private static final int ITERATIONS = 20_000;
    private static final int[] EDGE_VALUES = {0, 1, 5, 6, 13, 14, 15, 0x7f, 0xff, 0xffff, 0x5BE0, 0xEB50, 7001, MAX_FRAME, MAX_FRAME + 1};

    private final FramingProperty property = new FramingProperty(MAX_FRAME);

    @Test
    void anyBytesSplitAnywhereDecodeLikeTheWhole() {
        final SplittableRandom random = new SplittableRandom(0x5BE0EB50L);
        final byte[][] valid = {
            Frames.heartbeat(), Frames.payment(3), Frames.subscribe(4), Frames.logon("shop-1", "0123456789abcdef"),
            Frames.order(1, "o-1", 0), Frames.order(2, "o-2", 2)};
        for (int i = 0; i < ITERATIONS; i++) {
            final byte[] input = input(random, valid);
            final int[] splits = new int[random.nextInt(8)];
            for (int s = 0; s < splits.length; s++) {
                splits[s] = 1 + random.nextInt(input.length + 1);
            }
            property.check(input, splits);
        }
    }

    private static byte[] input(final SplittableRandom random, final byte[][] valid) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int kind = random.nextInt(4);
        if (kind == 0) {
            final byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            return garbage;
        }
        final int frames = 1 + random.nextInt(4);
        for (int f = 0; f < frames; f++) {
            out.writeBytes(valid[random.nextInt(valid.length)]);
        }
        final byte[] bytes = out.toByteArray();
        if (kind == 2) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
        } else if (kind == 3) {
            final int at = random.nextInt(Math.max(1, bytes.length - 4));
            final int value = EDGE_VALUES[random.nextInt(EDGE_VALUES.length)];
            if (random.nextBoolean()) {
                bytes[at] = (byte) (value >>> 8);
                bytes[at + 1] = (byte) value;
            } else {
                bytes[at] = (byte) value;
                bytes[at + 1] = (byte) (value >>> 8);
            }
        }
        return bytes;
    }
}
