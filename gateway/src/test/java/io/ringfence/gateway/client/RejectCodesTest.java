package io.ringfence.gateway.client;

import io.ringfence.sbe.RejectCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RejectCodesTest {
    @Test
    void shouldMapKnownCodesAndTolerateUnknownOnes() {
        assertEquals(RejectCode.SEQUENCE_GAP, RejectCodes.of(24));
        assertNull(RejectCodes.of(77), "a code from a newer server");
        assertNull(RejectCodes.of(65_535), "the null value");
        assertFalse(RejectCodes.isSession(null, 5), "an unknown code is an engine answer, not a session end");
        assertTrue(RejectCodes.isSession(RejectCode.SHUTTING_DOWN, 5));
        assertTrue(RejectCodes.isSession(RejectCode.TOO_LARGE, 0), "the gateway's frame reject carries no clientSeq");
        assertFalse(RejectCodes.isSession(RejectCode.TOO_LARGE, 5), "the engine's validation refusal of message 5");
    }

    @Test
    void shouldRetryOnlyWhereAnotherAttemptCanSucceed() {
        assertTrue(RejectCodes.sessionRetryable(RejectCode.SHUTTING_DOWN));
        assertTrue(RejectCodes.sessionRetryable(RejectCode.SLOW_CONSUMER));
        assertFalse(RejectCodes.sessionRetryable(RejectCode.NOT_AUTHORIZED), "roles do not change by reconnecting");
        assertTrue(RejectCodes.logonRetryable(RejectCode.NOT_AUTHORIZED), "at logon: the old session is not gone yet");
        assertTrue(RejectCodes.logonRetryable(RejectCode.NOT_LOGGED_ON), "at logon: the server's logon timeout passed before it read the Logon");
        assertFalse(RejectCodes.logonRetryable(RejectCode.BAD_CREDENTIALS));
    }
}
