package io.ringfence.tools.convert;

import java.io.IOException;
import java.io.Reader;

/**
 * Turns one public data set's file format into event JSON Lines (DESIGN §4.1). One
 * implementation per source format, registered in {@link SourceFormats}; {@code convert
 * --format NAME} picks it. Implementations are single-use and hold no global state.
 */
public interface SourceConverter {
    /** The {@code --format} name, e.g. {@code online-retail}. */
    String name();

    /** Where the input is by default, relative to the project's {@code shared/} folder. */
    String defaultInput();

    /**
     * Reads the whole source (already decompressed and decoded as UTF-8) and writes the events.
     *
     * @param input  the source text
     * @param source the file name, for error messages
     * @param out    where the events go
     * @return what was read, written and skipped
     * @throws BadInputException when the source is malformed (names the line and the reason)
     * @throws IOException       when reading or writing fails
     */
    /**
     * Where a converter that skips bad rows (instead of failing) reports each one, as
     * {@code file:line: reason}. The command passes its stderr; by default messages are dropped.
     */
    default void reportTo(final java.util.function.Consumer<String> warnings) {
    }

    ConversionSummary convert(Reader input, String source, EventJsonWriter out) throws BadInputException, IOException;
}
