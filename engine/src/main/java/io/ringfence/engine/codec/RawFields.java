package io.ringfence.engine.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ringfence.sbe.RejectCode;

import java.io.IOException;
import java.util.Arrays;

/**
 * The known fields of one JSON line, captured as token kind and literal text before any of them
 * is interpreted: {@code type} may come last, and {@code amount} needs {@code currency}. Values
 * that are objects or arrays are skipped and remembered only by their token, except
 * {@code items}, whose entries are captured the same way (up to {@code maxItems}).
 */
final class RawFields {
    final Values top = new Values();
    private final int maxItems;
    private Values[] items = new Values[0];
    private int itemCount;
    private boolean itemsOverflow;

    RawFields(final int maxItems) {
        this.maxItems = maxItems;
    }

    /** Captures one object from the parser, positioned before its START_OBJECT; rejects duplicates. */
    void read(final JsonParser parser) throws IOException, RejectException {
        top.clear();
        itemCount = 0;
        itemsOverflow = false;
        final JsonToken first = parser.nextToken();
        if (first == null) {
            throw new RejectException(RejectCode.MALFORMED, "empty line (expected one JSON object)");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new RejectException(RejectCode.MALFORMED, "the line is not a JSON object (starts with "
                + Values.describe(first, first.isScalarValue() ? parser.getText() : null) + ")");
        }
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            final Field field = Field.topLevel(parser.currentName());
            final JsonToken value = parser.nextToken();
            if (field == null) {
                parser.skipChildren();
            } else if (field == Field.ITEMS && value == JsonToken.START_ARRAY) {
                top.put(field, value, null, parser);
                readItems(parser);
            } else {
                top.put(field, value, value.isScalarValue() ? parser.getText() : null, parser);
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new RejectException(RejectCode.MALFORMED, "malformed JSON: unexpected " + token);
        }
        final JsonToken after = parser.nextToken();
        if (after != null) {
            throw new RejectException(RejectCode.MALFORMED, "malformed JSON at column " + column(parser)
                + ": more content after the object (one object per line)");
        }
    }

    int itemCount() {
        return itemCount;
    }

    boolean itemsOverflow() {
        return itemsOverflow;
    }

    Values item(final int index) {
        return items[index];
    }

    private void readItems(final JsonParser parser) throws IOException, RejectException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (itemCount == maxItems) {
                itemsOverflow = true;
                parser.skipChildren();
                continue;
            }
            if (itemCount == items.length) {
                items = Arrays.copyOf(items, Math.min(maxItems, Math.max(8, itemCount * 2)));
                for (int i = itemCount; i < items.length; i++) {
                    items[i] = new Values();
                }
            }
            final Values item = items[itemCount++];
            item.clear();
            item.self = token;
            if (token != JsonToken.START_OBJECT) {
                item.selfText = token.isScalarValue() ? parser.getText() : null;
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final Field field = Field.inItem(parser.currentName());
                final JsonToken value = parser.nextToken();
                if (field != null) {
                    item.put(field, value, value.isScalarValue() ? parser.getText() : null, parser);
                }
                parser.skipChildren();
            }
        }
    }

    static int column(final JsonParser parser) {
        return parser.currentTokenLocation().getColumnNr();
    }

    /** Token and literal text per known field; a {@code null} token means the field was absent. */
    static final class Values {
        final JsonToken[] tokens = new JsonToken[Field.COUNT];
        final String[] texts = new String[Field.COUNT];
        JsonToken self;
        String selfText;

        void clear() {
            Arrays.fill(tokens, null);
            Arrays.fill(texts, null);
            self = null;
            selfText = null;
        }

        /** Whether the field is there with a non-null value ({@code null} counts as absent). */
        boolean present(final Field field) {
            final JsonToken token = tokens[field.ordinal()];
            return token != null && token != JsonToken.VALUE_NULL;
        }

        JsonToken token(final Field field) {
            return tokens[field.ordinal()];
        }

        String text(final Field field) {
            return texts[field.ordinal()];
        }

        void put(final Field field, final JsonToken token, final String text, final JsonParser parser) throws RejectException {
            final int i = field.ordinal();
            if (tokens[i] != null) {
                throw new RejectException(RejectCode.MALFORMED, "duplicate field '" + field.json + "' (second value at column " + column(parser) + ")");
            }
            tokens[i] = token;
            texts[i] = text;
        }

        /** How a value reads in a message: a quoted string, a number, true, an object... */
        static String describe(final JsonToken token, final String text) {
            switch (token) {
                case VALUE_STRING: return FieldReader.quote(text);
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT: return FieldReader.truncate(text);
                case VALUE_TRUE: return "true";
                case VALUE_FALSE: return "false";
                case VALUE_NULL: return "null";
                case START_OBJECT: return "an object";
                case START_ARRAY: return "an array";
                default: return token.toString();
            }
        }
    }
}
