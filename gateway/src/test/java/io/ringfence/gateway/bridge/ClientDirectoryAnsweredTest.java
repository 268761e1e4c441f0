package io.ringfence.gateway.bridge;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.ClientRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A version-6 Logon says the last client sequence its client holds an answer for: the numbers past what the server
 * accounts for up to it were refusals it forgot in a restart, and count as refused (the next expected is after them);
 * a claim of no more than the server knows changes nothing.
 */
class ClientDirectoryAnsweredTest {
    private final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(
        new ClientConfig("shop", "s3cret0123456789abc", List.of("SUBMIT")))));
    private final long key = Ids.hash("shop");
    private final int index = clients.index(key);

    @Test
    void takesTheForgottenNumbersAsRefused() {
        clients.recovered(index, 5); // the journal holds 1..5
        assertEquals(3, clients.answeredByClient(key, 8), "6, 7 and 8 were refused before the restart");
        assertEquals(8, clients.accounted(index), "9 is expected next");
        assertEquals(5, clients.published(index), "nothing more published: 6..8 are not resends of journaled events");
        assertEquals(5, clients.lastJournaledClientSeq(key), "the LogonAck still says what is journaled");
    }

    @Test
    void changesNothingWhenTheServerKnowsAsMuchOrMore() {
        clients.recovered(index, 5);
        clients.refused(index, 7); // a refused tail the server remembers
        assertEquals(0, clients.answeredByClient(key, 6));
        assertEquals(0, clients.answeredByClient(key, 7));
        assertEquals(0, clients.answeredByClient(key, 0));
        assertEquals(0, clients.answeredByClient(key, -3));
        assertEquals(7, clients.accounted(index));
    }

    @Test
    void ignoresAnUnknownClientAndNumbersNoClientCouldSendAfter() {
        assertEquals(0, clients.answeredByClient(Ids.hash("nobody"), 9));
        assertEquals(ClientSequences.IGNORED_CLAIM, clients.answeredByClient(key, Long.MAX_VALUE));
        assertEquals(ClientSequences.IGNORED_CLAIM, clients.answeredByClient(key, Long.MAX_VALUE - 1),
            "review: a claim of MAX - 1 left the client id unusable");
        assertEquals(ClientSequences.IGNORED_CLAIM, clients.answeredByClient(key, ClientDirectory.MAX_CLAIM + 1));
        assertEquals(0, clients.accounted(index));
        assertEquals(ClientDirectory.MAX_CLAIM, clients.answeredByClient(key, ClientDirectory.MAX_CLAIM));
    }

    /** Review: a live server took any claim and skipped the numbers for good; it can only have forgotten before the client's first message. */
    @Test
    void takesNoClaimOnceTheClientSentToThisServer() {
        clients.recovered(index, 5);
        clients.published(index, 6);
        clients.refusedNow(index, 7);
        assertEquals(ClientSequences.IGNORED_CLAIM, clients.answeredByClient(key, 20));
        assertEquals(7, clients.accounted(index), "8 expected next, as before the claim");
    }

    @Test
    void takesNoClaimOnceTheClientHadARefusalHere() {
        clients.refusedNow(index, 1);
        assertEquals(ClientSequences.IGNORED_CLAIM, clients.answeredByClient(key, 3));
        assertEquals(1, clients.accounted(index));
    }
}
