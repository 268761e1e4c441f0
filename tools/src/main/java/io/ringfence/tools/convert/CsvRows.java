package io.ringfence.tools.convert;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads an RFC 4180 CSV file row by row (jackson-dataformat-csv underneath: quoted fields may
 * hold commas, {@code ""} quotes and line breaks) and knows the physical line each row starts
 * on, so every error can name it. Rows are returned as they are, whatever their width; callers
 * check the column count.
 *
 * <p>Damage in the file itself (an unterminated quote, bytes that are not UTF-8, a truncated
 * gzip stream) is reported as {@link BadInputException} with the line of the row being read;
 * decoding and gzip errors can lie a few kilobytes after it, as the parser reads ahead.
 */
public final class CsvRows implements Closeable {
    private static final CsvFactory FACTORY = new CsvFactory();

    private final String source;
    private final CsvParser parser;
    private final List<String> fields = new ArrayList<>(16);
    private boolean started;
    private long nextRowLine = 1;
    private long line;

    public CsvRows(final Reader reader, final String source) throws IOException {
        this.source = source;
        this.parser = FACTORY.createParser(reader);
        parser.setSchema(CsvSchema.emptySchema());
        parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    }

    /** Reads the first row and checks it is exactly {@code expected}. */
    public void requireHeader(final String... expected) throws BadInputException, IOException {
        if (!next()) {
            throw bad("the file is empty; expected the header " + String.join(",", expected));
        }
        if (!fields.equals(Arrays.asList(expected))) {
            throw bad("expected the header " + String.join(",", expected) + " but found " + String.join(",", fields));
        }
    }

    /** Advances to the next row; false at the end of the file. */
    public boolean next() throws BadInputException, IOException {
        try {
            fields.clear();
            line = nextRowLine;
            if (!started) {
                started = true;
                if (parser.nextToken() == null) { // skips the array that wraps the whole file
                    return false;
                }
            }
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                return false;
            }
            while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
                fields.add(parser.getText());
            }
            if (token != JsonToken.END_ARRAY) {
                throw bad("unexpected CSV token " + token);
            }
            if (line == 1 && !fields.isEmpty() && fields.get(0).startsWith("\uFEFF")) {
                // a UTF-8 byte-order mark, as the upstream files ship (shared/data/README.md): not part of the header
                // (audit: "expected the header user_id,... but found \uFEFFuser_id,...", two headers alike on screen)
                fields.set(0, fields.get(0).substring(1));
            }
            nextRowLine = parser.currentLocation().getLineNr();
            return true;
        } catch (final StreamReadException e) {
            throw bad("malformed CSV: " + e.getOriginalMessage());
        } catch (final CharacterCodingException e) {
            throw bad("the file is not valid UTF-8 (" + e + ", found while reading ahead from this line)");
        } catch (final ZipException | EOFException e) {
            throw bad("damaged or truncated gzip data (" + e.getMessage() + ", found while reading ahead from this line)");
        }
    }

    /** The current row's fields (valid until the next call to {@link #next()}). */
    public List<String> fields() {
        return fields;
    }

    /** The physical line (1-based) the current row starts on. */
    public long line() {
        return line;
    }

    public String source() {
        return source;
    }

    /** An error about the current row. */
    public BadInputException bad(final String reason) {
        return new BadInputException(source, line, reason);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
