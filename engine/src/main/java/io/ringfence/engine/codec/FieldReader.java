package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.JsonToken;
import io.ringfence.engine.codec.RawFields.Values;
import io.ringfence.engine.model.Currencies;
import io.ringfence.engine.model.Ids;
import io.ringfence.engine.model.Money;
import io.ringfence.engine.model.Times;
import io.ringfence.sbe.RejectCode;

import java.util.Arrays;

/**
 * Interprets captured values field by field with the rules of DESIGN §4.1, throwing a
 * {@link RejectException} whose reason names the field (as {@code items[2].sku} inside an item)
 * and quotes the value. Identifiers and IPs are returned in reused, NUL-padded byte arrays ready
 * for the SBE {@code putX(byte[], 0)} setters.
 */
final class FieldReader {
    private final byte[] id = new byte[Ids.MAX_ID_BYTES];
    private final byte[] ip = new byte[IpText.MAX_LENGTH + 1];
    private String type;

    /** The event type being read, for "missing required field ... for type ..." messages. */
    void type(final String type) {
        this.type = type;
    }

    /**
     * An identifier: a JSON string, or a JSON integer taken by its literal text; at most 36 UTF-8
     * bytes, no control characters, valid Unicode. {@code null} and {@code ""} mean absent, which
     * is a reject when {@code required}.
     *
     * @return a reused 36-byte array, NUL padded (all zeros when absent)
     */
    byte[] id(final Values values, final Field field, final int item, final boolean required) throws RejectException {
        Arrays.fill(id, (byte) 0);
        if (!values.present(field)) {
            if (required) {
                throw missing(field, item);
            }
            return id;
        }
        final JsonToken token = values.token(field);
        final String text = values.text(field);
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
            throw bad(name(field, item) + " must be a string or an integer, got " + Values.describe(token, text));
        }
        if (text.isEmpty()) {
            if (required) {
                throw new RejectException(RejectCode.MISSING_FIELD, EventRules.emptyRequired(field.json, item, type));
            }
            return id;
        }
        final int length = utf8(text, id, field, item);
        if (length > Ids.MAX_ID_BYTES) {
            throw new RejectException(RejectCode.ID_TOO_LONG, EventRules.idTooLong(field.json, item, length));
        }
        return id;
    }

    /** Whether the id field is there with a non-empty value. */
    static boolean hasText(final Values values, final Field field) {
        return values.present(field) && !values.text(field).isEmpty();
    }

    /** An IP address as text (IPv4 or IPv6 syntax, at most 45 ASCII chars); optional, {@code ""} = absent. */
    byte[] ip(final Values values) throws RejectException {
        Arrays.fill(ip, (byte) 0);
        if (!values.present(Field.IP)) {
            return ip;
        }
        final String text = string(values, Field.IP, -1);
        if (text.length() > IpText.MAX_LENGTH) {
            throw bad(EventRules.ipTooLong(text.length()));
        }
        if (!text.isEmpty() && !IpText.isValid(text)) {
            throw bad(EventRules.notAnIp(quote(text)));
        }
        for (int i = 0; i < text.length(); i++) {
            ip[i] = (byte) text.charAt(i);
        }
        return ip;
    }

    /** Event time: ISO-8601 with a zone, required for every type. */
    long time(final Values values) throws RejectException {
        if (!values.present(Field.TIME)) {
            throw missing(Field.TIME, -1);
        }
        final JsonToken token = values.token(Field.TIME);
        final String text = values.text(Field.TIME);
        if (token != JsonToken.VALUE_STRING) {
            throw new RejectException(RejectCode.BAD_TIME,
                "'time' must be an ISO-8601 string such as 2011-12-09T12:50:00Z, got " + Values.describe(token, text));
        }
        final long micros;
        try {
            micros = Times.parseMicros("time", text);
        } catch (final IllegalArgumentException e) {
            throw new RejectException(RejectCode.BAD_TIME, e.getMessage());
        }
        if (micros == EventRules.UNSET_TIME) {
            throw new RejectException(RejectCode.BAD_TIME, "'time' " + Values.describe(token, text) + " is the epoch ("
                + EventRules.UNSET_TIME_TEXT + "), which the gateway takes as a time not set; an event's time is after it");
        }
        if (!EventRules.isValidEventTime(micros)) {
            throw new RejectException(RejectCode.BAD_TIME, "'time' " + Values.describe(token, text) + " is " + Times.format(micros)
                + " in UTC, outside the event times taken (" + EventRules.EARLIEST_TIME_TEXT + " to " + EventRules.LATEST_TIME_TEXT + ")");
        }
        return micros;
    }

    /**
     * Currency code (required here), an ISO-4217 code with minor units, in any letter case
     * ({@code "gbp"} as several payment APIs write it); returns it upper case, as the wire and
     * the journal carry it.
     */
    String currency(final Values values) throws RejectException {
        if (!values.present(Field.CURRENCY)) {
            throw missing(Field.CURRENCY, -1);
        }
        final String given = string(values, Field.CURRENCY, -1);
        final String code = upperAscii(given);
        if (Currencies.fractionDigits(code) == Currencies.UNKNOWN) {
            throw new RejectException(RejectCode.UNKNOWN_CURRENCY, EventRules.unknownCurrency(quote(given)));
        }
        return code;
    }

    /**
     * {@code text} with ASCII a-z upper case and nothing else changed (not {@code toUpperCase}:
     * that folds other letters too, e.g. a long s to S, so "uſd" would pass for USD).
     */
    static String upperAscii(final String text) {
        char[] up = null;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (up == null) {
                    up = text.toCharArray();
                }
                up[i] = (char) (c - 32);
            }
        }
        return up == null ? text : new String(up);
    }

    /** Money in major units (decimal string or JSON number); {@code absent} when not there and not required. */
    long money(final Values values, final Field field, final int item, final String currency, final Money.Sign sign,
               final boolean required, final long absent) throws RejectException {
        if (!values.present(field)) {
            if (required) {
                throw missing(field, item);
            }
            return absent;
        }
        final JsonToken token = values.token(field);
        final String text = values.text(field);
        final int digits = Currencies.fractionDigits(currency);
        final boolean string = token == JsonToken.VALUE_STRING;
        if (string || token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            final long minor;
            try {
                minor = string ? Money.parse(nameUnquoted(field, item), text, currency, digits, sign)
                        : Money.parseJsonNumber(nameUnquoted(field, item), text, currency, digits, sign);
            } catch (final IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            if (minor > Money.MAX_MINOR || minor < -Money.MAX_MINOR) {
                throw bad(Money.tooLarge(nameUnquoted(field, item), EventRules.quote(text), digits));
            }
            return minor;
        }
        throw bad(name(field, item) + " must be a decimal string or a number, got " + Values.describe(token, text));
    }

    /** A JSON integer in [min, max]; {@code absent} when not there and not required. */
    long integer(final Values values, final Field field, final int item, final long min, final long max,
                 final boolean required, final long absent) throws RejectException {
        if (!values.present(field)) {
            if (required) {
                throw missing(field, item);
            }
            return absent;
        }
        final JsonToken token = values.token(field);
        final String text = values.text(field);
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw bad(name(field, item) + " must be an integer, got " + Values.describe(token, text));
        }
        final long value;
        try {
            value = Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw bad(name(field, item) + " is out of range, got " + truncate(text));
        }
        if (value < min || value > max) {
            throw bad(EventRules.outOfRange(field.json, item, min, max, text));
        }
        return value;
    }

    /**
     * One of {@code names}, compared ignoring the case of ASCII letters only, as the type is (a long s or a Kelvin sign
     * spells no value: {@code String.equalsIgnoreCase} took {@code "ſignup"} for SIGNUP, review of 2026-12-07).
     *
     * @return the index in {@code names}, or -1 when absent and not required
     */
    int choice(final Values values, final Field field, final String[] names, final boolean required) throws RejectException {
        if (!values.present(field)) {
            if (required) {
                throw missing(field, -1);
            }
            return -1;
        }
        final String text = string(values, field, -1);
        for (int i = 0; i < names.length; i++) {
            if (EventRules.equalsIgnoringAsciiCase(names[i], text)) {
                return i;
            }
        }
        throw bad(EventRules.notOneOf(field.json, names, quote(text)));
    }

    /** A JSON string value (present). */
    String string(final Values values, final Field field, final int item) throws RejectException {
        final JsonToken token = values.token(field);
        final String text = values.text(field);
        if (token != JsonToken.VALUE_STRING) {
            throw bad(name(field, item) + " must be a string, got " + Values.describe(token, text));
        }
        return text;
    }

    RejectException missing(final Field field, final int item) {
        return new RejectException(RejectCode.MISSING_FIELD, EventRules.missing(field.json, item, type));
    }

    static RejectException bad(final String reason) {
        return new RejectException(RejectCode.BAD_VALUE, reason);
    }

    static String name(final Field field, final int item) {
        return EventRules.quotedName(field.json, item);
    }

    static String nameUnquoted(final Field field, final int item) {
        return EventRules.name(field.json, item);
    }

    static String quote(final String text) {
        return EventRules.quote(text);
    }

    static String truncate(final String text) {
        return EventRules.truncate(text);
    }

    /**
     * Encodes {@code text} as UTF-8 into {@code dst} as far as it fits and returns the full byte
     * length; rejects control characters and unpaired surrogates.
     */
    private static int utf8(final String text, final byte[] dst, final Field field, final int item) throws RejectException {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (EventRules.isForbiddenInId(c)) {
                throw bad(EventRules.controlCharacter(field.json, item, c));
            }
            if (c < 0x80) {
                n = put(dst, n, c);
            } else if (c < 0x800) {
                n = put(dst, n, 0xc0 | (c >> 6));
                n = put(dst, n, 0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw bad(name(field, item) + " is not valid Unicode (unpaired surrogate)");
                }
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                n = put(dst, n, 0xf0 | (cp >> 18));
                n = put(dst, n, 0x80 | ((cp >> 12) & 0x3f));
                n = put(dst, n, 0x80 | ((cp >> 6) & 0x3f));
                n = put(dst, n, 0x80 | (cp & 0x3f));
            } else {
                n = put(dst, n, 0xe0 | (c >> 12));
                n = put(dst, n, 0x80 | ((c >> 6) & 0x3f));
                n = put(dst, n, 0x80 | (c & 0x3f));
            }
        }
        return n;
    }

    private static int put(final byte[] dst, final int at, final int b) {
        if (at < dst.length) {
            dst[at] = (byte) b;
        }
        return at + 1;
    }
}
