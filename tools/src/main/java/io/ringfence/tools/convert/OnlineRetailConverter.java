package io.ringfence.tools.convert;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts UCI "Online Retail" ({@code shared/data/online-retail/online_retail.csv.gz}, see
 * {@code shared/data/README.md} §1) into {@code order} events.
 *
 * <p>Input: CSV, RFC 4180 quoting, header {@code InvoiceNo,StockCode,Description,Quantity,
 * InvoiceDate,UnitPrice,CustomerID,Country}, one row per invoice line.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>One {@code order} per invoice ({@code InvoiceNo}); its items are the invoice's lines in
 *       file order: {@code sku} = StockCode, {@code qty} = Quantity, {@code unitPrice} =
 *       UnitPrice rounded half-even to pence (a few source prices have 3 decimals, e.g. 0.001
 *       becomes 0.00); no {@code category}. Description is not used. Exact duplicate rows are
 *       kept: they are separate lines of the source invoice.</li>
 *   <li>{@code amount} = Σ Quantity × UnitPrice over the invoice's lines, computed exactly
 *       ({@link BigDecimal} from the text), then rounded half-even to pence. It can therefore
 *       differ by a few pence from Σ qty × (rounded) unitPrice.</li>
 *   <li>Skipped, and counted per reason: cancellations (InvoiceNo starting with {@code C}),
 *       bad-debt adjustments ({@code A}), and other invoices whose rounded amount is ≤ 0.00
 *       (stock adjustments at price 0 and the like). Any other non-digit first character is
 *       an error.</li>
 *   <li>{@code time} = the earliest InvoiceDate of the invoice's lines (43 invoices span two
 *       minutes), read as {@code Europe/London} wall-clock time (GMT, BST from 2011-03-27 to
 *       2011-10-30) and written as ISO-8601 UTC with {@code Z}. A wall-clock time that occurs
 *       twice takes the earlier (BST) offset; one that does not exist moves forward by the
 *       gap (java.time's rule; the data has neither, its hours are 06–20).</li>
 *   <li>{@code userId} = CustomerID without its {@code .0} ({@code 17850.0} → {@code 17850});
 *       when CustomerID is empty, {@code guest-} + InvoiceNo, so guests are not one user.</li>
 *   <li>{@code orderId} = InvoiceNo, {@code currency} = GBP, {@code country} = Country (left
 *       out when empty), {@code merchantId} = {@code online-retail}, {@code channel} =
 *       {@code web}.</li>
 *   <li>Output sorted by time; equal times keep the order of each invoice's first line in the
 *       file.</li>
 *   <li>Bad input (exit 2, with the line): a row without exactly 8 columns, an empty InvoiceNo
 *       or StockCode, a Quantity that is not an integer, a UnitPrice that is not a plain
 *       decimal, an InvoiceDate not {@code yyyy-MM-dd HH:mm:ss}, a CustomerID that is not a
 *       whole number, an id over 36 UTF-8 bytes, an invoice whose lines disagree on
 *       CustomerID or Country.</li>
 * </ul>
 */
public final class OnlineRetailConverter implements SourceConverter {
    public static final String NAME = "online-retail";
    public static final String DEFAULT_INPUT = "data/online-retail/online_retail.csv.gz";
    public static final ZoneId SOURCE_ZONE = ZoneId.of("Europe/London");
    public static final String CURRENCY = "GBP";
    public static final String MERCHANT_ID = "online-retail";
    public static final String CHANNEL = "web";
    public static final String GUEST_PREFIX = "guest-";

    /** The policy as shown by {@code convert --help} (picocli format: %n is a line break). */
    public static final String HELP = ""
            + "online-retail: UCI Online Retail CSV (InvoiceNo,StockCode,Description,%n"
            + "  Quantity,InvoiceDate,UnitPrice,CustomerID,Country); default input%n"
            + "  shared/" + DEFAULT_INPUT + ". One order event per invoice:%n"
            + "  - orderId = InvoiceNo; items = the invoice's lines in file order:%n"
            + "    sku = StockCode, qty = Quantity, unitPrice = UnitPrice rounded%n"
            + "    half-even to pence; no category; Description is not used; duplicate%n"
            + "    rows are kept.%n"
            + "  - amount = sum of Quantity x UnitPrice over the lines, computed exactly,%n"
            + "    then rounded half-even to pence; currency = GBP.%n"
            + "  - skipped, counted per reason: cancellations (InvoiceNo starts with C),%n"
            + "    bad-debt adjustments (A), invoices whose amount is <= 0.00.%n"
            + "  - time = the invoice's earliest InvoiceDate, read as Europe/London%n"
            + "    wall-clock time (BST from 2011-03-27 to 2011-10-30), written in UTC%n"
            + "    with Z.%n"
            + "  - userId = CustomerID without \".0\"; when empty, \"guest-\" + InvoiceNo.%n"
            + "  - country = Country, merchantId = online-retail, channel = web.%n"
            + "  - output sorted by time; ties keep the order of first appearance.%n"
            + "  - bad input (exit 2): a row without 8 columns, a bad number or date,%n"
            + "    an id over 36 bytes, an invoice whose lines disagree on CustomerID%n"
            + "    or Country.";

    static final String[] HEADER = {
        "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"};

    private static final int INVOICE_NO = 0;
    private static final int STOCK_CODE = 1;
    private static final int QUANTITY = 3;
    private static final int INVOICE_DATE = 4;
    private static final int UNIT_PRICE = 5;
    private static final int CUSTOMER_ID = 6;
    private static final int COUNTRY = 7;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern CUSTOMER = Pattern.compile("(\\d+)(\\.0+)?");

    /** Why an invoice produced no order; {@link #key()} is what the summary shows. */
    public enum SkipReason {
        CANCELLATION("cancellation"),
        BAD_DEBT_ADJUSTMENT("bad-debt-adjustment"),
        NON_POSITIVE_AMOUNT("non-positive-amount");

        private final String key;

        SkipReason(final String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private String lastDateText;
    private Instant lastDate;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultInput() {
        return DEFAULT_INPUT;
    }

    @Override
    public ConversionSummary convert(final Reader input, final String source, final EventJsonWriter out)
            throws BadInputException, IOException {
        final Map<String, Invoice> invoices = new LinkedHashMap<>();
        long rowsRead = 0;
        try (CsvRows rows = new CsvRows(input, source)) {
            rows.requireHeader(HEADER);
            while (rows.next()) {
                rowsRead++;
                readLine(rows, invoices);
            }
        }

        final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        for (final SkipReason reason : SkipReason.values()) {
            skipped.put(reason, 0L);
        }
        final List<OrderEvent> orders = new ArrayList<>(invoices.size());
        for (final Invoice invoice : invoices.values()) {
            final SkipReason skip = invoice.skipReason();
            if (skip != null) {
                skipped.merge(skip, 1L, Long::sum);
            } else {
                orders.add(invoice.toOrder());
            }
        }
        orders.sort(Comparator.comparing(OrderEvent::time)); // stable: ties keep first appearance
        for (final OrderEvent order : orders) {
            out.writeOrder(order);
        }
        out.flush();

        final Map<String, Long> skippedByKey = new LinkedHashMap<>();
        skipped.forEach((reason, count) -> skippedByKey.put(reason.key(), count));
        return new ConversionSummary(NAME, rowsRead, "invoices", invoices.size(), "orders", orders.size(), skippedByKey);
    }

    private void readLine(final CsvRows rows, final Map<String, Invoice> invoices) throws BadInputException {
        final List<String> f = rows.fields();
        if (f.size() != HEADER.length) {
            throw rows.bad("expected " + HEADER.length + " columns (" + String.join(",", HEADER) + ") but found " + f.size());
        }
        final String invoiceNo = f.get(INVOICE_NO);
        final Kind kind = kindOf(rows, invoiceNo);
        final String sku = f.get(STOCK_CODE);
        requireId(rows, "StockCode", sku);
        final int qty = parseQuantity(rows, f.get(QUANTITY));
        final Instant time = parseDate(rows, f.get(INVOICE_DATE));
        final BigDecimal unitPrice = parsePrice(rows, f.get(UNIT_PRICE));
        final String userId = userId(rows, f.get(CUSTOMER_ID), invoiceNo);
        final String country = f.get(COUNTRY);

        Invoice invoice = invoices.get(invoiceNo);
        if (invoice == null) {
            invoice = new Invoice(invoiceNo, kind, rows.line(), userId, country, time);
            invoices.put(invoiceNo, invoice);
        } else {
            if (!invoice.userId.equals(userId)) {
                throw rows.bad("invoice " + invoiceNo + " has CustomerID '" + f.get(CUSTOMER_ID)
                        + "' here but user " + invoice.userId + " on line " + invoice.firstLine);
            }
            if (!invoice.country.equals(country)) {
                throw rows.bad("invoice " + invoiceNo + " has Country '" + country
                        + "' here but '" + invoice.country + "' on line " + invoice.firstLine);
            }
        }
        invoice.add(sku, qty, unitPrice, time);
    }

    private static Kind kindOf(final CsvRows rows, final String invoiceNo) throws BadInputException {
        requireId(rows, "InvoiceNo", invoiceNo);
        final char first = invoiceNo.charAt(0);
        if (first == 'C') {
            return Kind.CANCELLATION;
        }
        if (first == 'A') {
            return Kind.BAD_DEBT_ADJUSTMENT;
        }
        if (first >= '0' && first <= '9') {
            return Kind.ORDER;
        }
        throw rows.bad("InvoiceNo '" + invoiceNo + "' starts with '" + first
                + "'; only digits, C (cancellation) and A (bad-debt adjustment) are known");
    }

    private static void requireId(final CsvRows rows, final String column, final String value) throws BadInputException {
        if (value.isEmpty()) {
            throw rows.bad(column + " is empty");
        }
        if (!EventJsonWriter.isValidId(value)) {
            throw rows.bad(column + " '" + value + "' is longer than " + EventJsonWriter.MAX_ID_BYTES + " UTF-8 bytes");
        }
    }

    private static int parseQuantity(final CsvRows rows, final String text) throws BadInputException {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw rows.bad("Quantity '" + text + "' is not an integer");
        }
    }

    private static BigDecimal parsePrice(final CsvRows rows, final String text) throws BadInputException {
        if (!DECIMAL.matcher(text).matches()) {
            throw rows.bad("UnitPrice '" + text + "' is not a decimal number");
        }
        return new BigDecimal(text);
    }

    private Instant parseDate(final CsvRows rows, final String text) throws BadInputException {
        if (text.equals(lastDateText)) {
            return lastDate;
        }
        try {
            final Instant instant = LocalDateTime.parse(text, DATE).atZone(SOURCE_ZONE).toInstant();
            final String outside = EventTimeRange.outside("InvoiceDate '" + text + "'", instant);
            if (outside != null) {
                throw rows.bad(outside);
            }
            lastDateText = text;
            lastDate = instant;
            return instant;
        } catch (final DateTimeParseException e) {
            throw rows.bad("InvoiceDate '" + text + "' is not a date-time yyyy-MM-dd HH:mm:ss");
        }
    }

    private static String userId(final CsvRows rows, final String customerId, final String invoiceNo) throws BadInputException {
        if (customerId.isEmpty()) {
            final String guest = GUEST_PREFIX + invoiceNo;
            if (!EventJsonWriter.isValidId(guest)) {
                throw rows.bad("guest userId '" + guest + "' would be longer than " + EventJsonWriter.MAX_ID_BYTES + " UTF-8 bytes");
            }
            return guest;
        }
        final Matcher m = CUSTOMER.matcher(customerId);
        if (!m.matches()) {
            throw rows.bad("CustomerID '" + customerId + "' is not a whole number");
        }
        final String userId = m.group(1);
        requireId(rows, "CustomerID", userId);
        return userId;
    }

    private enum Kind { ORDER, CANCELLATION, BAD_DEBT_ADJUSTMENT }

    /** One invoice as it accumulates; items are kept only for invoices that may become orders. */
    private static final class Invoice {
        final String invoiceNo;
        final Kind kind;
        final long firstLine;
        final String userId;
        final String country;
        final List<OrderEvent.Item> items;
        Instant time;
        BigDecimal exactTotal = BigDecimal.ZERO;

        Invoice(final String invoiceNo, final Kind kind, final long firstLine, final String userId,
                final String country, final Instant time) {
            this.invoiceNo = invoiceNo;
            this.kind = kind;
            this.firstLine = firstLine;
            this.userId = userId;
            this.country = country;
            this.time = time;
            this.items = kind == Kind.ORDER ? new ArrayList<>(4) : null;
        }

        void add(final String sku, final int qty, final BigDecimal unitPrice, final Instant lineTime) {
            if (lineTime.isBefore(time)) {
                time = lineTime;
            }
            if (items != null) {
                exactTotal = exactTotal.add(unitPrice.multiply(BigDecimal.valueOf(qty)));
                items.add(new OrderEvent.Item(sku, qty, pence(unitPrice), null));
            }
        }

        BigDecimal amount() {
            return pence(exactTotal);
        }

        SkipReason skipReason() {
            switch (kind) {
                case CANCELLATION:
                    return SkipReason.CANCELLATION;
                case BAD_DEBT_ADJUSTMENT:
                    return SkipReason.BAD_DEBT_ADJUSTMENT;
                default:
                    return amount().signum() <= 0 ? SkipReason.NON_POSITIVE_AMOUNT : null;
            }
        }

        OrderEvent toOrder() {
            return new OrderEvent(time, invoiceNo, userId, amount(), CURRENCY, country.isEmpty() ? null : country,
                    null, null, null, MERCHANT_ID, CHANNEL, items, null);
        }
    }

    static BigDecimal pence(final BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_EVEN);
    }
}
