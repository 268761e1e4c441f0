package io.ringfence.engine.trending;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.model.Times;
import io.ringfence.engine.output.OutputBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Test events written as the JSON Lines of DESIGN §4.1 (so a test reads like the input a shop
 * sends), encoded to SBE, and the outputs they cause read back as JSON lines. Times are seconds
 * after {@link #T0}, a UTC instant aligned to 5 minutes and to the hour.
 */
public final class PushEvents {
    public static final long T0 = Times.parseMicros("time", "2011-12-09T12:00:00Z");
    public static final long SECOND = 1_000_000L;

    private final JsonEventParser parser = new JsonEventParser();
    private final ParseResult result = new ParseResult();
    private final JsonOutputWriter writer = new JsonOutputWriter();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private int length;

    /** ISO-8601 text of {@code T0 + seconds}. */
    public static String at(final long seconds) {
        return Times.format(T0 + seconds * SECOND);
    }

    public static String order(final long seconds, final String user, final String... skuQtyCategory) {
        final StringBuilder items = new StringBuilder();
        for (int i = 0; i < skuQtyCategory.length; i += 3) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(skuQtyCategory[i]).append("\",\"qty\":")
                .append(skuQtyCategory[i + 1]).append(",\"unitPrice\":\"1.00\"");
            if (!skuQtyCategory[i + 2].isEmpty()) {
                items.append(",\"category\":\"").append(skuQtyCategory[i + 2]).append('"');
            }
            items.append('}');
        }
        return "{\"type\":\"order\",\"time\":\"" + at(seconds) + "\",\"orderId\":\"o-" + seconds + "-" + user
            + "\",\"userId\":\"" + user + "\",\"amount\":\"10.00\",\"currency\":\"GBP\",\"items\":[" + items + "]}";
    }

    public static String activity(final long seconds, final String user, final String kind, final String sku) {
        return "{\"type\":\"activity\",\"time\":\"" + at(seconds) + "\",\"userId\":\"" + user + "\",\"kind\":\"" + kind
            + "\"" + (sku.isEmpty() ? "" : ",\"sku\":\"" + sku + "\"") + "}";
    }

    public static String payment(final long seconds, final String user) {
        return "{\"type\":\"payment\",\"time\":\"" + at(seconds) + "\",\"paymentId\":\"p-" + seconds + "\",\"orderId\":\"o-"
            + seconds + "\",\"userId\":\"" + user + "\",\"amount\":\"1.00\",\"currency\":\"GBP\",\"result\":\"AUTHORIZED\"}";
    }

    /** The SBE message of a JSON line, in a buffer reused by the next call. */
    public ExpandableArrayBuffer encode(final String json) {
        length = parser.parse(json, 1, 1, buffer, 0, result);
        if (length == JsonEventParser.REJECTED) {
            throw new IllegalArgumentException(result + ": " + json);
        }
        return buffer;
    }

    /** The SBE bytes of a JSON line (header included). */
    public byte[] bytes(final String json) {
        encode(json);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /** The outputs in {@code out} as JSON lines, then clears it. */
    public List<String> drain(final OutputBuffer out) {
        final List<String> lines = new ArrayList<>();
        out.forEach((b, offset, length) -> lines.add(writer.toJson(b, offset).strip()));
        out.reset();
        return lines;
    }
}
