package io.ringfence.tools.subscribe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Notes written while logging on wait for the banner, then come in the order written. */
class HeldNotesTest {
    @Test
    void shouldHoldNotesUntilReleasedThenPassThemThrough() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream target = new PrintStream(err, true, StandardCharsets.UTF_8);
        final HeldNotes held = new HeldNotes(target);
        final PrintStream notes = held.stream();
        notes.println("caught up on 2 pushes");
        assertEquals("", err.toString(StandardCharsets.UTF_8), "held, flushed or not");
        target.println("banner");
        held.release();
        notes.println("later");
        held.release();
        assertEquals("banner\ncaught up on 2 pushes\nlater\n", err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
