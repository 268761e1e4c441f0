package io.ringfence.gateway.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where numbering starts at the first logon of a process going on with an earlier one's messages. */
class ContinuationTest {
    @Test
    void startsAfterWhatTheServerJournaledWithoutAnEarlierRun() {
        assertEquals(40, Continuation.NONE.startAfter(40, 6));
    }

    @Test
    void resendsFromTheFirstMissingAnswerTheServerJournaled() {
        final Continuation c = new Continuation(31, 30, seq -> seq <= 40);
        assertEquals(30, c.startAfter(40, 6), "31..40 sent again, answered from the record");
    }

    @Test
    void startsPastTheRefusalsHeldAfterWhatTheServerJournaled() {
        final Continuation c = new Continuation(51, 50, seq -> seq <= 40); // 41..50 refused
        assertEquals(50, c.startAfter(40, 6));
        assertEquals(40, c.startAfter(40, 5), "an older server took no claim: it expects 41 again");
    }

    @Test
    void stopsSkippingAtAJournaledAnswerTheServerLost() {
        final Continuation c = new Continuation(51, 50, seq -> seq <= 40 || seq == 45); // 45 journaled, lost by the server
        assertEquals(44, c.startAfter(40, 6), "41..44 refused: skipped; 45 on sent again");
    }

    @Test
    void refusesANegativeAnsweredSequenceBeforeConnecting() {
        try (GatewayClient client = new GatewayClient(new GatewayClientConfig(), new ClientListener() { })) {
            final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> client.logon("shop", "secret", 5, -1, seq -> false));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("answeredThrough must be 0"), e.getMessage());
        }
    }
}
