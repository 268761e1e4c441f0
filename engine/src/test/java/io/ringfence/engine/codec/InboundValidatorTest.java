package io.ringfence.engine.codec;

import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.RejectCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the JSON parser can produce, the validator accepts; limits and edges are the parser's. */
class InboundValidatorTest {
    private static final int EVENTS = 20_000;
    private static final String ORDER_HEAD = "{\"type\":\"order\",\"orderId\":\"o\",\"userId\":\"u\",\"amount\":\"1\",\"currency\":\"GBP\",\"time\":";

    private final JsonEventParser parser = new JsonEventParser();
    private final JsonEventWriter writer = new JsonEventWriter();
    private final InboundValidator validator = new InboundValidator();
    private final ParseResult result = new ParseResult();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);

    @Test
    void shouldAcceptEveryRandomEventTheParserProduces() throws IOException {
        final RandomEvents events = new RandomEvents(20_240_612L);
        final ExpandableArrayBuffer generated = new ExpandableArrayBuffer(1024);
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        final int[] perTemplate = new int[6];
        for (int i = 0; i < EVENTS; i++) {
            events.next(generated);
            line.reset();
            writer.write(generated, 0, line);
            final byte[] bytes = line.toByteArray();
            final int length = parser.parse(bytes, 0, bytes.length, i, events.clientSeq(), buffer, 0, result);
            assertFalse(result.isRejected(), result::toString);
            final int verdict = validator.validate(buffer, 0, length);
            if (verdict != InboundValidator.VALID) {
                fail("event " + i + " was refused: " + validator.code() + ": " + validator.reason() + "\n" + line);
            }
            assertNull(validator.code());
            assertNull(validator.reason());
            perTemplate[result.templateId()]++;
        }
        for (int template = 1; template <= 5; template++) {
            assertTrue(perTemplate[template] > EVENTS / 10, "template " + template + " was generated");
        }
    }

    @Test
    void shouldAcceptTheEarliestAndLatestTimesTakenAndRefuseOneBeyond() {
        for (final String time : new String[] {EventRules.EARLIEST_TIME_TEXT, EventRules.LATEST_TIME_TEXT,
            "1970-01-01T00:00:00.000001Z", "1970-01-01T01:00:00.000001+01:00", "2106-02-07T06:28:15Z", "2106-02-07T08:28:15+02:00"}) {
            final int length = parse(ORDER_HEAD + "\"" + time + "\"}");
            assertEquals(InboundValidator.VALID, validator.validate(buffer, 0, length), () -> time + ": " + validator.reason());
        }
        // event-time audit: before 1970 the device/ip sharing features read wrong, and a UTC year outside 0000-9999 was
        // written back as text the parser refuses ("-0001-12-31T23:30:00Z" of "0000-01-01T00:30:00+01:00")
        for (final String time : new String[] {"1969-12-31T23:59:59.999999Z", "0000-01-01T00:30:00+01:00", "0001-01-01T00:00:00Z",
            "2106-02-07T06:28:16Z", "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999-18:00"}) {
            parser.parse(ORDER_HEAD + "\"" + time + "\"}", 1, 1, buffer, 0, result);
            assertTrue(result.isRejected(), time);
            assertTrue(result.toString().contains("BAD_TIME") && result.toString().endsWith("in UTC, outside the event times taken"
                + " (1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)"), result.toString());
        }
        final int length = parse(ORDER_HEAD + "\"" + EventRules.LATEST_TIME_TEXT + "\"}");
        final int timeAt = MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.eventTimeEncodingOffset();
        buffer.putLong(timeAt, EventRules.MAX_EVENT_TIME + 1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RejectCode.BAD_TIME.value(), validator.validate(buffer, 0, length));
        assertEquals("'eventTime' is " + (EventRules.MAX_EVENT_TIME + 1) + " microseconds (2106-02-07T06:28:16Z), outside the"
            + " event times taken (1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)", validator.reason());
        buffer.putLong(timeAt, EventRules.MIN_EVENT_TIME - 1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RejectCode.BAD_TIME.value(), validator.validate(buffer, 0, length));
        assertTrue(validator.reason().startsWith("'eventTime' is 0, the epoch"), validator.reason());
        buffer.putLong(timeAt, -1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RejectCode.BAD_TIME.value(), validator.validate(buffer, 0, length));
        assertEquals("'eventTime' is -1 microseconds (1969-12-31T23:59:59.999999Z), outside the event times taken"
            + " (1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)", validator.reason());
    }

    @Test
    void shouldAcceptAsManyItemsAsTheParserAndRefuseOneMore() {
        final InboundValidator small = new InboundValidator(1024);
        final JsonEventParser smallParser = new JsonEventParser(1024);
        assertEquals(smallParser.maxItems(), small.maxItems());
        final int max = small.maxItems();
        final int length = smallParser.parse(JsonEventParserTest.orderWithItems(max), 1, 1, buffer, 0, result);
        assertEquals(InboundValidator.VALID, small.validate(buffer, 0, length), small::reason);

        final int tooMany = parse(JsonEventParserTest.orderWithItems(max + 1));
        assertEquals(RejectCode.TOO_LARGE.value(), small.validate(buffer, 0, tooMany));
        assertEquals("'items' has more than " + max + " entries, the most that fit in a message of 1024 bytes", small.reason());
        assertEquals(776, validator.maxItems());
    }

    @Test
    void shouldRefuseAMessageLongerThanTheLimitEvenWithFewItems() {
        final InboundValidator tight = new InboundValidator(EventRules.minMessageBytes());
        final int length = parse(ORDER_HEAD + "\"2011-12-09T12:50:00Z\"}");
        assertEquals(InboundValidator.VALID, tight.validate(buffer, 0, length), tight::reason);
        final int extended = extendRootBlock(length, 8);
        assertEquals(RejectCode.TOO_LARGE.value(), tight.validate(buffer, 0, extended));
        assertEquals("the message is " + extended + " bytes, the maximum is " + length, tight.reason());
    }

    @Test
    void shouldAcceptLongerBlocksAsSbeAllowsAndStillCheckTheFieldsAfterThem() {
        final int length = parse(ORDER_HEAD + "\"2011-12-09T12:50:00Z\",\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\",\"qty\":-2}]}");
        final int extended = extendRootBlock(length, 16);
        assertEquals(InboundValidator.VALID, validator.validate(buffer, 0, extended), validator::reason);
        // The second item's qty, found through the acting block length.
        final int secondItem = MessageHeaderDecoder.ENCODED_LENGTH + OrderDecoder.BLOCK_LENGTH + 16 + 4
            + OrderDecoder.ItemsDecoder.sbeBlockLength();
        buffer.putInt(secondItem + OrderDecoder.ItemsDecoder.qtyEncodingOffset(), 0, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RejectCode.BAD_VALUE.value(), validator.validate(buffer, 0, extended));
        assertEquals("'items[1].qty' must not be zero", validator.reason());
    }

    @Test
    void shouldValidateAMessageAtAnOffsetAndReadNothingOutsideIt() {
        final int length = parse(ORDER_HEAD + "\"2011-12-09T12:50:00Z\",\"items\":[{\"sku\":\"a\"}]}");
        final UnsafeBuffer exact = new UnsafeBuffer(new byte[length + 3]);
        exact.putBytes(3, buffer, 0, length);
        assertEquals(InboundValidator.VALID, validator.validate(exact, 3, length), validator::reason);
        assertEquals(RejectCode.MALFORMED.value(), validator.validate(exact, 3, length + 1));
        assertEquals(RejectCode.MALFORMED.value(), validator.validate(exact, 3, length - 1));
        assertEquals(RejectCode.MALFORMED.value(), validator.validate(exact, 3, 7));
    }

    @Test
    void shouldRefuseTooSmallALimit() {
        try {
            new InboundValidator(EventRules.minMessageBytes() - 1);
            fail("expected IllegalArgumentException");
        } catch (final IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("an order without items"));
        }
    }

    private int parse(final String line) {
        final int length = parser.parse(line, 1, 1, buffer, 0, result);
        assertFalse(result.isRejected(), result::toString);
        return length;
    }

    /** Grows the order in {@link #buffer} by {@code extra} zero bytes at the end of its root block (an SBE extension). */
    private int extendRootBlock(final int length, final int extra) {
        final int blockEnd = MessageHeaderDecoder.ENCODED_LENGTH + OrderEncoder.BLOCK_LENGTH;
        final byte[] tail = new byte[length - blockEnd];
        buffer.getBytes(blockEnd, tail);
        buffer.setMemory(blockEnd, extra, (byte) 0);
        buffer.putBytes(blockEnd + extra, tail);
        buffer.putShort(0, (short) (OrderEncoder.BLOCK_LENGTH + extra), ByteOrder.LITTLE_ENDIAN);
        return length + extra;
    }

    static void putAscii(final MutableDirectBuffer buffer, final int at, final int capacity, final String text) {
        buffer.setMemory(at, capacity, (byte) 0);
        for (int i = 0; i < text.length(); i++) {
            buffer.putByte(at + i, (byte) text.charAt(i));
        }
    }
}
