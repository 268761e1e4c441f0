package io.ringfence.tools.fraud;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UserBucket}: the documented formula recomputed here with BigInteger arithmetic (no
 * shared code), a few literal values worked out outside Java (Python, arbitrary precision), and
 * the share of sequential ids below 0.3 for small and large populations.
 */
class UserBucketTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger MASK = TWO_64.subtract(BigInteger.ONE);

    /** FNV-1a 64 then the murmur3 finaliser, then the top 53 bits over 2^53, all in BigInteger. */
    static double independentBucket(final String id) {
        BigInteger h = new BigInteger("cbf29ce484222325", 16);
        final BigInteger prime = new BigInteger("100000001b3", 16);
        for (final byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = h.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).and(MASK);
        }
        h = h.xor(h.shiftRight(33));
        h = h.multiply(new BigInteger("ff51afd7ed558ccd", 16)).and(MASK);
        h = h.xor(h.shiftRight(33));
        h = h.multiply(new BigInteger("c4ceb9fe1a85ec53", 16)).and(MASK);
        h = h.xor(h.shiftRight(33));
        // top 53 bits as an exact integer, then / 2^53 (exact in a double)
        return h.shiftRight(11).doubleValue() / 0x1.0p53;
    }

    @Test
    void shouldMatchTheFormulaRecomputedWithBigIntegers() {
        for (final String id : new String[]{"", "a", "u0", "u1", "u99999", "alice", "ü", "用户-42", "22058",
                "a-user-id-that-is-exactly-36-bytes!!", "\u0001"}) {
            assertEquals(independentBucket(id), UserBucket.of(id), 0.0, id);
        }
    }

    @Test
    void shouldGiveTheLiteralValuesWorkedOutOutsideJava() {
        // Python: h = FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3, mod 2^64), murmur3 fmix64, (h >> 11) / 2**53
        assertEquals(0.93676944839044, UserBucket.of(""), 0.0);          // h = 0xefd01f60ba992926
        assertEquals(0.15707441492714613, UserBucket.of("u0"), 0.0);   // h = 0x2836076326826787
        assertEquals(0.20715047597194325, UserBucket.of("alice"), 0.0); // h = 0x3507d047a67c08f4
        assertEquals(0.6037542621288948, UserBucket.of("ü"), 0.0);     // two UTF-8 bytes c3 bc; h = 0x9a8fa3aaaa09fd21
    }

    @Test
    void shouldStayInTheUnitIntervalAndDependOnEveryByte() {
        for (int i = 0; i < 10_000; i++) {
            final double b = UserBucket.of("user-" + i);
            assertTrue(b >= 0 && b < 1, "bucket " + b);
        }
        assertTrue(UserBucket.of("ab") != UserBucket.of("ba"));
        assertTrue(UserBucket.of("u1") != UserBucket.of("u1 "));
    }

    @Test
    void shouldHoldOutAboutThirtyPercentOfOneHundredThousandSequentialIds() {
        assertEquals(0.3, shareBelow(0.3, "u", 0, 100_000), 0.01);
        assertEquals(0.5, shareBelow(0.5, "u", 0, 100_000), 0.01);
        assertEquals(0.05, shareBelow(0.05, "u", 0, 100_000), 0.005);
    }

    /**
     * Ids that differ only in their last one to four characters (small shops, sequential numbers)
     * must spread too. Plain FNV-1a without a finaliser fails this badly: its top bits barely
     * depend on the last bytes, so "u0".."u999" put 1% of users below 0.3 and the Online Retail
     * customer ids 12346..18287 put 45% there.
     */
    @Test
    void shouldSpreadShortSequentialIdsToo() {
        assertEquals(0.3, shareBelow(0.3, "u", 0, 1_000), 0.05);
        assertEquals(0.3, shareBelow(0.3, "", 12_346, 18_288), 0.03);
        assertEquals(0.3, shareBelow(0.3, "u", 0, 10_000), 0.02);
    }

    private static double shareBelow(final double f, final String prefix, final int from, final int to) {
        int below = 0;
        for (int i = from; i < to; i++) {
            below += UserBucket.of(prefix + i) < f ? 1 : 0;
        }
        return (double) below / (to - from);
    }
}
