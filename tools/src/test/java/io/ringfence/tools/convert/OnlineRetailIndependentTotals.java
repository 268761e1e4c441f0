package io.ringfence.tools.convert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The expected one-hour tumbling window totals of Online Retail orders per (country, hour),
 * computed <em>without any ringfence main code</em>: its own gzip + CSV reading, BigDecimal and
 * java.time, applying the documented {@code convert --format online-retail} policy:
 * one order per invoice; invoices starting with C or A are skipped; amount = exact
 * Σ Quantity × UnitPrice rounded half-even to pence, skipped when ≤ 0; time = earliest
 * InvoiceDate as Europe/London wall-clock time.
 *
 * <p>Used to check that the converter is faithful, and meant to be reused to check the
 * engine's {@code run} output ({@code gmv_by_country_1h}-style windows: key country, tumbling,
 * size 1h, metrics count and sum(amount)) against the same numbers.
 */
public final class OnlineRetailIndependentTotals {
    /** System property (set by surefire) naming the shared data folder. */
    public static final String SHARED_DATA_PROPERTY = SharedDataFiles.SHARED_DATA_PROPERTY;
    public static final String DATA_FILE = "online-retail/online_retail.csv.gz";

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Map<Path, Map<String, long[]>> CACHE = new ConcurrentHashMap<>();

    private OnlineRetailIndependentTotals() {
    }

    /** The real data file from the shared data folder; fails (never skips) when it is absent. */
    public static Path realDataFile() {
        return SharedDataFiles.require(DATA_FILE, "Online Retail", 1);
    }

    /**
     * Expected totals keyed by {@code country + "|" + hourStartIsoUtc} (e.g.
     * {@code United Kingdom|2010-12-01T08:00:00Z}) → {count of orders, sum of amounts in pence},
     * sorted by key. Computed once per file; each call returns a fresh copy.
     */
    public static Map<String, long[]> expected(final Path csvGz) {
        final Map<String, long[]> cells = CACHE.computeIfAbsent(csvGz.toAbsolutePath().normalize(),
                OnlineRetailIndependentTotals::compute);
        final Map<String, long[]> copy = new TreeMap<>();
        cells.forEach((key, value) -> copy.put(key, value.clone()));
        return copy;
    }

    /** {count, pence} summed over all cells. */
    public static long[] grandTotal(final Map<String, long[]> cells) {
        final long[] total = new long[2];
        for (final long[] cell : cells.values()) {
            total[0] += cell[0];
            total[1] += cell[1];
        }
        return total;
    }

    /** The cell key for an order with this country and time (UTC). */
    public static String key(final String country, final Instant time) {
        return country + "|" + time.truncatedTo(ChronoUnit.HOURS);
    }

    private static Map<String, long[]> compute(final Path csvGz) {
        final Map<String, Invoice> invoices = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String line = reader.readLine(); // header
            if (line == null || !line.startsWith("InvoiceNo,")) {
                throw new IllegalStateException(csvGz + ": unexpected header " + line);
            }
            while ((line = reader.readLine()) != null) {
                while (quotesOpen(line)) {
                    final String more = reader.readLine();
                    if (more == null) {
                        throw new IllegalStateException(csvGz + ": unterminated quote at end of file");
                    }
                    line = line + "\n" + more;
                }
                final List<String> f = split(line);
                if (f.size() != 8) {
                    throw new IllegalStateException(csvGz + ": " + f.size() + " columns in " + line);
                }
                final Invoice invoice = invoices.computeIfAbsent(f.get(0), no -> new Invoice());
                final LocalDateTime time = LocalDateTime.parse(f.get(4), DATE);
                if (invoice.earliest == null || time.isBefore(invoice.earliest)) {
                    invoice.earliest = time;
                }
                invoice.country = f.get(7);
                invoice.total = invoice.total.add(new BigDecimal(f.get(5)).multiply(new BigDecimal(f.get(3))));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }

        final Map<String, long[]> cells = new TreeMap<>();
        invoices.forEach((invoiceNo, invoice) -> {
            if (invoiceNo.startsWith("C") || invoiceNo.startsWith("A")) {
                return;
            }
            final BigDecimal amount = invoice.total.setScale(2, RoundingMode.HALF_EVEN);
            if (amount.signum() <= 0) {
                return;
            }
            final Instant time = invoice.earliest.atZone(LONDON).toInstant();
            final long[] cell = cells.computeIfAbsent(key(invoice.country, time), k -> new long[2]);
            cell[0]++;
            cell[1] += amount.unscaledValue().longValueExact();
        });
        return cells;
    }

    private static boolean quotesOpen(final String line) {
        int quotes = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                quotes++;
            }
        }
        return (quotes & 1) == 1;
    }

    /** RFC 4180 split of one record: quoted fields may hold commas and "" for a quote. */
    static List<String> split(final String line) {
        final List<String> fields = new ArrayList<>(8);
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static final class Invoice {
        LocalDateTime earliest;
        String country;
        BigDecimal total = BigDecimal.ZERO;
    }
}
