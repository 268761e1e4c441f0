package io.ringfence.gateway.client;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber's position: the pushes of the sequence it stood at that come again after a resume are recognised
 * and dropped, once each, while new ones of that sequence (a subscription added while away) and every later one
 * go through; a preset position resumes with its count instead.
 */
class PushPositionTest {
    @Test
    void shouldDropExactlyTheRepeatsOfTheSequenceItStoodAt() {
        final PushPosition position = new PushPosition();
        position.moveTo(1);
        assertTrue(accept(position, 4, "a"));
        assertTrue(accept(position, 5, "b"));
        assertTrue(accept(position, 5, "c"));
        assertTrue(accept(position, 5, "c")); // two identical pushes of one event are two pushes
        assertEquals(5, position.seq());
        assertEquals(0, position.skip(), "the copies recognise repeats: ask for the whole sequence again");

        position.resuming();
        assertTrue(accept(position, 5, "x"), "new: of a subscription added while away");
        assertFalse(accept(position, 5, "b"));
        assertFalse(accept(position, 5, "c"));
        assertFalse(accept(position, 5, "c"));
        assertTrue(accept(position, 5, "c"), "a third c had not arrived before");
        assertTrue(accept(position, 6, "b"), "a later sequence is never a repeat");
        assertTrue(accept(position, 6, "b"));
    }

    @Test
    void shouldRecogniseRepeatsAgainAfterAnIncompleteRoundAndKeepWhatArrivedInIt() {
        final PushPosition position = new PushPosition();
        position.moveTo(1);
        accept(position, 5, "b");
        position.resuming();
        assertFalse(accept(position, 5, "b"));
        assertTrue(accept(position, 7, "d")); // the round stops in the middle of 7
        position.resuming();
        assertFalse(accept(position, 7, "d"), "the next round starts at 7 again");
        assertTrue(accept(position, 7, "e"));
    }

    @Test
    void shouldResumeAPresetPositionWithItsCount() {
        final PushPosition position = new PushPosition();
        position.preset(40, 2);
        assertEquals(40, position.seq());
        assertEquals(2, position.skip(), "no copies: the server skips the first two of 40");
        position.resuming();
        assertTrue(accept(position, 40, "z"));
        assertEquals(0, position.skip(), "once a push arrived, copies again");
    }

    private static boolean accept(final PushPosition position, final long seq, final String body) {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return position.accept(seq, new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
