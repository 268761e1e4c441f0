package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.InputConfig;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of 2026-12-06: a refusal quoting 400 chars of the client's non-ASCII text took up to 1,230 bytes, more than a
 * ring slot of the smallest {@code input.maxEventBytes} (1,024), and stopped the client's session as if the engine had
 * failed. Reasons are now cut to fit, never inside a character.
 */
class RejectWriterTest {
    private final RejectWriter writer = new RejectWriter();

    @Test
    void theLongestRefusalFitsTheSmallestRingSlotAsAControlMessage() {
        final InputConfig smallest = new InputConfig();
        smallest.maxEventBytes = 1024;
        smallest.validate("input"); // the smallest slot the configuration allows
        assertThrows(RuntimeException.class, () -> {
            final InputConfig below = new InputConfig();
            below.maxEventBytes = 1023;
            below.validate("input");
        }, "1,024 is the smallest");
        assertTrue(ControlMessage.PAYLOAD_OFFSET + RejectWriter.MAX_LENGTH <= smallest.maxEventBytes,
                ControlMessage.PAYLOAD_OFFSET + RejectWriter.MAX_LENGTH + " bytes");
        for (final String unit : new String[] {"a", "é", "€", "😀"}) {
            final int length = writer.encode(1, 2, RejectCode.BAD_VALUE, "unknown currency '" + unit.repeat(2_000) + "'");
            assertTrue(length <= RejectWriter.MAX_LENGTH, unit + ": " + length + " bytes");
        }
    }

    @Test
    void aReasonIsCutAtAWholeCharacter() {
        assertEquals("short reason", reasonOf("short reason"), "kept whole");
        final String ascii = "x".repeat(1_000);
        assertEquals(RejectWriter.REASON_CHARS, reasonOf(ascii).length(), "ASCII: cut at the char limit");
        final String euro = "€".repeat(1_000); // 3 bytes each
        assertEquals(RejectWriter.REASON_BYTES / 3, reasonOf(euro).length(), "cut at the byte limit");
        final String emoji = "x" + "😀".repeat(400); // 4 bytes, two chars each: a cut between the two would be no character
        final String cut = reasonOf(emoji);
        assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= RejectWriter.REASON_BYTES, cut.length() + " chars");
        assertEquals(-1, cut.indexOf('\uFFFD'), "no broken character");
        assertTrue(Character.isHighSurrogate(cut.charAt(cut.length() - 2)) && Character.isLowSurrogate(cut.charAt(cut.length() - 1)),
                "ends on a whole pair");
    }

    private String reasonOf(final String reason) {
        writer.encode(1, 2, RejectCode.BAD_VALUE, reason);
        final RejectDecoder decoder = new RejectDecoder().wrapAndApplyHeader(writer.buffer(), 0, new MessageHeaderDecoder());
        return decoder.reason();
    }
}
