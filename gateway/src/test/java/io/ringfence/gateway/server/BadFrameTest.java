package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.RejectCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static io.ringfence.gateway.testing.Frames.BLOCK_LENGTH_AT;
import static io.ringfence.gateway.testing.Frames.SCHEMA_ID_AT;
import static io.ringfence.gateway.testing.Frames.TEMPLATE_ID_AT;
import static io.ringfence.gateway.testing.Frames.VERSION_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every kind of bad frame, before and after logon, is answered with the right Reject, the
 * connection is closed and the kind is counted, while a good session connected at the same time
 * keeps working.
 */
class BadFrameTest {
    private static final int MAX_FRAME = 4096;
    private static GatewayFixture gateway;
    private static TestClient good;
    private static long goodSeq;

    @BeforeAll
    static void start() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        good = TestClient.logOn(gateway.port(), GatewayFixture.ADMIN, GatewayFixture.SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        good.close();
        gateway.close();
    }

    static Stream<Arguments> badFrames() {
        final byte[] order = Frames.order(1, "o-1", 2);
        final byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0x41);
        final int block = OrderDecoder.BLOCK_LENGTH;
        final byte[] shortBlock = Frames.withShort(Frames.withLength(Arrays.copyOf(order, order.length - 1), order.length - 1),
            BLOCK_LENGTH_AT, block - 1);
        final byte[] trailing = Frames.withLength(Arrays.copyOf(order, order.length + 3), order.length + 3);
        return Stream.of(
            // each Reject says what was seen (outside-client trial: one text for every body mismatch, no numbers)
            Arguments.of("truncated body", Frames.withLength(Arrays.copyOf(order, order.length - 20), order.length - 20),
                RejectCode.BAD_FRAME, GatewayCounter.BODY_LENGTH_MISMATCH, "template 1: block, groups and variable-length data need "),
            Arguments.of("block length beyond frame", Frames.withShort(order, BLOCK_LENGTH_AT, 4000),
                RejectCode.BAD_FRAME, GatewayCounter.BODY_LENGTH_MISMATCH, "template 1: block length 4000 is longer than the "),
            Arguments.of("block shorter than the schema's", shortBlock, RejectCode.BAD_FRAME, GatewayCounter.BODY_LENGTH_MISMATCH,
                "template 1: block length " + (block - 1) + " is shorter than the " + block + " bytes of this template's block"),
            Arguments.of("bytes after the message", trailing, RejectCode.BAD_FRAME, GatewayCounter.BODY_LENGTH_MISMATCH,
                "template 1: 3 bytes follow the message's end"),
            Arguments.of("zero length", Frames.withLength(order, 0), RejectCode.BAD_FRAME, GatewayCounter.BAD_LENGTH,
                "frame length 0, the smallest possible 14"),
            Arguments.of("length with the top bit set (a uint32 of 4 GiB)", Frames.withLength(order, -5), RejectCode.TOO_LARGE,
                GatewayCounter.TOO_LARGE, "frame length 4294967291 (SOFH header included), the largest accepted " + MAX_FRAME),
            Arguments.of("too long", Arrays.copyOf(Frames.withLength(order, MAX_FRAME + 1), 14),
                RejectCode.TOO_LARGE, GatewayCounter.TOO_LARGE, "frame length " + (MAX_FRAME + 1)),
            Arguments.of("wrong encoding type", Frames.withEncodingType(order, 0x5BE0),
                RejectCode.BAD_FRAME, GatewayCounter.BAD_ENCODING_TYPE, "encoding type 0x5BE0"),
            Arguments.of("unknown schema", Frames.withShort(order, SCHEMA_ID_AT, 42),
                RejectCode.UNKNOWN_SCHEMA, GatewayCounter.UNKNOWN_SCHEMA, "schema id 42, not 7001"),
            Arguments.of("newer version", Frames.withShort(order, VERSION_AT, MessageHeaderDecoder.SCHEMA_VERSION + 1),
                RejectCode.UNSUPPORTED_VERSION, GatewayCounter.UNSUPPORTED_VERSION, "version " + (MessageHeaderDecoder.SCHEMA_VERSION + 1)),
            Arguments.of("unknown template", Frames.withShort(order, TEMPLATE_ID_AT, 77),
                RejectCode.UNKNOWN_TEMPLATE, GatewayCounter.UNKNOWN_TEMPLATE, "template id 77"),
            Arguments.of("garbage bytes", garbage, RejectCode.TOO_LARGE, GatewayCounter.TOO_LARGE,
                "the bytes read 'AAAAAAAA' as text: not a SOFH-framed SBE message"));
    }

    @ParameterizedTest(name = "{0} before logon")
    @MethodSource("badFrames")
    void shouldRejectCountAndCloseBeforeLogon(final String kind, final byte[] bytes, final RejectCode code,
                                              final GatewayCounter counter, final String reason) throws Exception {
        final long before = gateway.server().counters().get(counter);
        try (TestClient bad = TestClient.connect(gateway.port())) {
            bad.send(bytes);
            bad.expectRejectAndClose(code, reason);
        }
        assertEquals(before + 1, gateway.server().counters().get(counter), kind + " counted");
        goodSessionStillWorks();
    }

    @ParameterizedTest(name = "{0} after logon")
    @MethodSource("badFrames")
    void shouldRejectCountAndCloseAfterLogon(final String kind, final byte[] bytes, final RejectCode code,
                                             final GatewayCounter counter, final String reason) throws Exception {
        final long before = gateway.server().counters().get(counter);
        try (TestClient bad = TestClient.logOn(gateway.port(), GatewayFixture.SUBMITTER, GatewayFixture.SECRET)) {
            bad.send(bytes);
            bad.expectRejectAndClose(code, reason);
        }
        assertEquals(before + 1, gateway.server().counters().get(counter), kind + " counted");
        goodSessionStillWorks();
    }

    private static void goodSessionStillWorks() throws Exception {
        good.send(Frames.payment(++goodSeq));
        final var received = gateway.inbound().next();
        assertNotNull(received, "the good session's message arrives");
        assertEquals(goodSeq, received.clientSeq());
        assertEquals(0, gateway.inbound().pending());
        assertEquals(OrderDecoder.TEMPLATE_ID + 1, received.templateId());
    }
}
