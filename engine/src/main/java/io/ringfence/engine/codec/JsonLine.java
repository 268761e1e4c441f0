package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Money;
import io.ringfence.engine.model.Times;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One reused JSON generator writing one line at a time into a reused byte array, then handing
 * the finished line (with its {@code \n}) to the caller's stream. Shared by the writers.
 *
 * <p>Strings from SBE fields are UTF-8 already: ASCII goes straight through
 * {@link JsonGenerator#writeUTF8String}; anything else is decoded (invalid bytes become U+FFFD) so
 * the output is always valid UTF-8 JSON. Characters outside the BMP are written as UTF-8, not as
 * escaped surrogate pairs; only quote, backslash and control characters are escaped. Doubles are written by {@link Double#toString} (shortest
 * round-trip form, deterministic), as plain decimals where it would use scientific notation ({@link PlainNumbers}); NaN and infinities, which JSON cannot hold, are written as {@code null}.
 */
final class JsonLine {
    static final SerializedString TYPE = new SerializedString("type");
    static final SerializedString SEQ = new SerializedString("seq");

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();

    private final Sink sink = new Sink();
    private final char[] chars = new char[64];
    /** Scratch for fixed-length SBE char fields (the longest is Name, 48 bytes). */
    final byte[] field = new byte[64];
    private byte[] data = new byte[256];
    private JsonGenerator gen = newGenerator();

    JsonGenerator gen() {
        return gen;
    }

    /** Starts a line: {@code {"type":"<type>"}. */
    void begin(final SerializableString type) throws IOException {
        if (!gen.getOutputContext().inRoot()) {
            // A previous line failed half-way; never let its state leak into this one.
            gen = newGenerator();
        }
        sink.reset();
        gen.writeStartObject();
        if (type != null) {
            gen.writeFieldName(TYPE);
            gen.writeString(type);
        }
    }

    /** Starts a line without the type field (it comes later, after a prefix). */
    void beginBare() throws IOException {
        begin(null);
    }

    /** Ends the object and writes the line and its newline to {@code out}. */
    void end(final OutputStream out) throws IOException {
        gen.writeEndObject();
        gen.flush();
        sink.write('\n');
        out.write(sink.bytes, 0, sink.count);
    }

    void number(final SerializableString name, final long value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }

    void number(final SerializableString name, final double value) throws IOException {
        gen.writeFieldName(name);
        doubleValue(value);
    }

    /** A double as a JSON number, or {@code null} when it is NaN or infinite. */
    void doubleValue(final double value) throws IOException {
        if (PlainNumbers.scientific(value)) {
            gen.writeNumber(PlainNumbers.plain(value)); // 0.000157, not 1.57E-4
        } else if (Double.isFinite(value)) {
            gen.writeNumber(value);
        } else {
            gen.writeNull();
        }
    }

    void time(final SerializableString name, final long micros) throws IOException {
        gen.writeFieldName(name);
        final int length = Times.format(micros, chars, 0);
        gen.writeString(chars, 0, length);
    }

    /** Money in major units of the currency with {@code digits}; raw minor units as an integer when the currency is unknown. */
    void money(final SerializableString name, final long minor, final int digits) throws IOException {
        gen.writeFieldName(name);
        moneyValue(minor, digits);
    }

    /** Money value without a field name (see {@link #money}). */
    void moneyValue(final long minor, final int digits) throws IOException {
        if (digits == Currencies.UNKNOWN) {
            gen.writeNumber(minor);
        } else {
            gen.writeString(chars, 0, Money.format(minor, digits, chars, 0));
        }
    }

    void string(final SerializableString name, final String value) throws IOException {
        gen.writeFieldName(name);
        gen.writeString(value);
    }

    /**
     * A NUL-padded fixed-length field read into {@link #field}.
     *
     * @return whether anything was written ({@code omitEmpty} skips empty fields)
     */
    boolean padded(final SerializableString name, final int maxLength, final boolean omitEmpty) throws IOException {
        final int length = length(field, maxLength);
        if (length == 0 && omitEmpty) {
            return false;
        }
        gen.writeFieldName(name);
        utf8(field, length);
        return true;
    }

    /** A reusable array of at least {@code length} bytes for variable-length data. */
    byte[] data(final int length) {
        if (data.length < length) {
            data = new byte[Math.max(length, data.length * 2)];
        }
        return data;
    }

    /** Writes UTF-8 bytes as a JSON string value. */
    void utf8(final byte[] bytes, final int length) throws IOException {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                gen.writeString(new String(bytes, 0, length, StandardCharsets.UTF_8));
                return;
            }
        }
        gen.writeUTF8String(bytes, 0, length);
    }

    /** Bytes before the first NUL, at most {@code maxLength}. */
    static int length(final byte[] bytes, final int maxLength) {
        int i = 0;
        while (i < maxLength && bytes[i] != 0) {
            i++;
        }
        return i;
    }

    /** Runs {@code body} against a byte array stream and returns the line without its newline. */
    static String toText(final LineBody body) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try {
            body.write(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final String text = out.toString(StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private JsonGenerator newGenerator() {
        try {
            final JsonGenerator generator = FACTORY.createGenerator(sink);
            generator.setRootValueSeparator(null);
            return generator;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface LineBody {
        void write(OutputStream out) throws IOException;
    }

    /** Growable in-memory byte sink; reset per line, never shrinks. */
    private static final class Sink extends OutputStream {
        private byte[] bytes = new byte[512];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(final int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(final byte[] src, final int offset, final int length) {
            ensure(length);
            System.arraycopy(src, offset, bytes, count, length);
            count += length;
        }

        private void ensure(final int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(count + more, bytes.length * 2));
            }
        }
    }
}
