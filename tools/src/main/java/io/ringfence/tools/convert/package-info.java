/**
 * {@code ringfence convert}: public data sets (shared/data) to event JSON Lines (DESIGN §4.1).
 *
 * <pre>
 *   file (.gz detected by magic bytes)
 *     -> CountingInputStream (progress bar on a terminal)
 *     -> UTF-8 reader (strict)
 *     -> SourceConverter chosen by --format      e.g. OnlineRetailConverter
 *          CsvRows: RFC 4180 rows + physical line numbers
 *          policy: group, skip (counted per reason), sort by event time
 *     -> EventJsonWriter: one event per line, DESIGN §4.1 field order
 *     -> JsonLinesTarget: temp file renamed on success, or stdout
 * </pre>
 *
 * <p>Adding a format: implement {@link io.ringfence.tools.convert.SourceConverter}, register it
 * in {@link io.ringfence.tools.convert.SourceFormats}, put its policy in the class Javadoc and
 * in {@link io.ringfence.tools.convert.ConvertCommand}'s help footer. Malformed input is a
 * {@link io.ringfence.tools.convert.BadInputException} naming file, line and reason (exit 2).
 * A format may instead skip bad rows (FraudEcommerceConverter and PaySimConverter do): it reports
 * each one through {@link io.ringfence.tools.convert.SourceConverter#reportTo} (stderr, with file
 * and line; {@code BadRows} counts them and limits the reports) and counts them in its summary; a
 * wrong header or a damaged file still stops it.
 */
package io.ringfence.tools.convert;
