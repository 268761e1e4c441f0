package io.ringfence.tools.convert;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes events as JSON Lines in the exact field order of DESIGN §4.1, one object per line,
 * UTF-8, with Jackson's streaming generator (so quotes, control characters and non-ASCII text
 * are escaped correctly). Closing the writer does not close the stream it was given.
 */
public final class EventJsonWriter implements Closeable, Flushable {
    /** DESIGN §4.1: identifiers are up to 36 UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 36;

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator json;
    private long written;

    public EventJsonWriter(final OutputStream out) throws IOException {
        this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null); // lines end with '\n' instead of Jackson's default ' ' between values
    }

    /** Whether {@code id} is a valid DESIGN §4.1 identifier: non-empty, at most 36 UTF-8 bytes. */
    public static boolean isValidId(final String id) {
        return id != null && !id.isEmpty() && id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES;
    }

    /** ISO-8601 UTC with 'Z', e.g. {@code 2010-12-01T08:26:00Z}. */
    public static String formatTime(final Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time);
    }

    public void writeOrder(final OrderEvent order) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "order");
        json.writeStringField("time", formatTime(order.time()));
        json.writeStringField("orderId", order.orderId());
        json.writeStringField("userId", order.userId());
        json.writeStringField("amount", order.amount().toPlainString());
        json.writeStringField("currency", order.currency());
        optional("country", order.country());
        optional("ip", order.ip());
        optional("deviceId", order.deviceId());
        optional("instrumentId", order.instrumentId());
        optional("merchantId", order.merchantId());
        optional("channel", order.channel());
        if (!order.items().isEmpty()) { // optional (DESIGN §4.1): a source without order lines writes none
            writeItems(order);
        }
        if (order.label() != null) {
            json.writeNumberField("label", order.label());
        }
        json.writeEndObject();
        json.writeRaw('\n');
        written++;
    }

    /** A {@code payment} event in DESIGN §4.1 field order; optional fields that are null are left out. */
    public void writePayment(final PaymentEvent payment) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "payment");
        json.writeStringField("time", formatTime(payment.time()));
        json.writeStringField("paymentId", payment.paymentId());
        optional("orderId", payment.orderId());
        optional("userId", payment.userId());
        optional("instrumentId", payment.instrumentId());
        json.writeStringField("amount", payment.amount().toPlainString());
        json.writeStringField("currency", payment.currency());
        json.writeStringField("result", payment.result());
        if (payment.label() != null) {
            json.writeNumberField("label", payment.label());
        }
        json.writeEndObject();
        json.writeRaw('\n');
        written++;
    }

    /**
     * An {@code activity} event in DESIGN §4.1 field order; {@code sessionId}, {@code ip} and
     * {@code deviceId} are optional ({@code null} leaves them out).
     */
    public void writeActivity(final Instant time, final String userId, final String kind, final String sessionId,
                              final String ip, final String deviceId) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "activity");
        json.writeStringField("time", formatTime(time));
        json.writeStringField("userId", userId);
        json.writeStringField("kind", kind);
        optional("sessionId", sessionId);
        optional("ip", ip);
        optional("deviceId", deviceId);
        json.writeEndObject();
        json.writeRaw('\n');
        written++;
    }

    /** Events written so far. */
    public long written() {
        return written;
    }

    private void optional(final String name, final String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    @Override
    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }

    private void writeItems(final OrderEvent order) throws IOException {
        json.writeArrayFieldStart("items");
        for (final OrderEvent.Item item : order.items()) {
            json.writeStartObject();
            json.writeStringField("sku", item.sku());
            json.writeNumberField("qty", item.qty());
            json.writeStringField("unitPrice", item.unitPrice().toPlainString());
            optional("category", item.category());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
