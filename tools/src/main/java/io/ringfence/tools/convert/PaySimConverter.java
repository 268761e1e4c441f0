package io.ringfence.tools.convert;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts PaySim mobile-money transactions ({@code shared/data/paysim/}, see
 * {@code shared/data/README.md} §3) into {@code order} and {@code payment} events.
 *
 * <p>Input: CSV with the header {@code step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,
 * nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud}. Both shared files work: the
 * exact prefix of the log (Java number formatting, {@code 1.916920493E7}; labels {@code 0}/{@code 1})
 * and the shuffled fraud-enriched sample (pandas floats; labels {@code 0.0}/{@code 1.0}).
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>Each row (transaction) gives two events, the order first:
 *     <ul>
 *       <li>an {@code order}: {@code orderId} = {@code ps-<row>} (row = the 1-based data row in
 *           the file, so row r is on line r + 1), {@code userId} = {@code instrumentId} = nameOrig
 *           (the paying account), {@code merchantId} = nameDest (the recipient, customer
 *           {@code C…} or merchant {@code M…}), {@code amount} = amount, one item with
 *           {@code sku} = type (CASH_IN, CASH_OUT, DEBIT, PAYMENT, TRANSFER), {@code qty} 1 and
 *           {@code unitPrice} = amount, {@code label} = isFraud; no country, IP, device or
 *           channel (PaySim has none);</li>
 *       <li>a {@code payment} {@code AUTHORIZED} for it: {@code paymentId} = {@code ps-<row>-p},
 *           the same orderId, userId, instrumentId and amount, <b>no label</b>. Every PaySim row is
 *           a transaction that went through, so the result is AUTHORIZED. The label is on the
 *           order only because {@code train} and {@code evaluate} count every labelled order and
 *           payment: labelled twice, each transaction would be counted twice (two near-identical
 *           feature vectors of one decision).</li>
 *     </ul></li>
 *   <li>Money: amount is read with {@link BigDecimal} (plain or scientific notation:
 *       {@code 9839.64}, {@code 1.916920493E7}, {@code 10000000.0}) and written with 2 decimals.
 *       It must be &gt; 0 with at most 2 significant decimal places (more is a bad row, never
 *       rounded: PaySim writes cents) and at most {@link #MAX_AMOUNT_MINOR} minor units.</li>
 *   <li>Currency: PaySim's amounts are in an unnamed local currency and the data has no currency
 *       column. ISO 4217's "no currency" code XXX has no minor unit, so the engine refuses it; the
 *       amounts need a currency with 2 decimals. {@value #CURRENCY} is used as a label for that: the
 *       engine has no exchange rates and sums amounts per currency as they are, so the code
 *       changes nothing but the text.</li>
 *   <li>Time: step is a simulated hour with no date. Step s is written as
 *       {@value #EPOCH_TEXT} + (s − 1) hours (step 1 is the first hour of an arbitrary fixed
 *       date, so outputs are reproducible); every row of a step is at the hour's start (PaySim has
 *       no finer time, and none is made up). step is a whole number from 1 to {@value #MAX_STEP}.</li>
 *   <li>Not used: the four balance columns (oldbalanceOrg, newbalanceOrig, oldbalanceDest,
 *       newbalanceDest) and isFlaggedFraud. The engine's event model has no account balance, and
 *       isFlaggedFraud is the simulator's own rule, not a label. They must still be numbers
 *       (balances) and 0/1 (the flag), so a shifted or damaged row is caught.</li>
 *   <li>Output sorted by step, stable: within a step, rows keep their file order (the sample file
 *       is shuffled, so there that order is the shuffle's), each row's order before its payment.</li>
 *   <li>Bad rows are skipped, not fatal: each is reported as {@code file:line: reason} and counted
 *       ({@code bad-row} in the summary). A row is bad when it has the wrong number of columns, a
 *       step that is not a whole number in range, an unknown type, an amount that is not a number,
 *       not &gt; 0, has more than 2 decimals or is too large, a balance that is not a number, an
 *       empty nameOrig or nameDest or one over 36 UTF-8 bytes, or an isFraud or isFlaggedFraud
 *       other than 0/1 ({@code 0.0}/{@code 1.0} accepted). A wrong header or a damaged file stops
 *       the conversion (exit 2).</li>
 * </ul>
 */
public final class PaySimConverter extends RowSkippingConverter {
    public static final String NAME = "paysim";
    public static final String DEFAULT_INPUT = "data/paysim/paysim_sample_steps1-119_allfraud_plus50k_legit.csv";
    public static final String CURRENCY = "USD";
    static final String EPOCH_TEXT = "2016-09-01T00:00:00Z";
    /** The time of step 1. */
    public static final Instant EPOCH = Instant.parse(EPOCH_TEXT);
    /** The last step whose hour (2106-02-07T06:00:00Z) the engine takes as an event time (up to 2106-02-07T06:28:15Z). */
    public static final int MAX_STEP = 783_967;
    /** Largest amount in minor units: 10^15 (10 trillion with 2 decimals; PaySim's largest is 10^9). */
    public static final long MAX_AMOUNT_MINOR = 1_000_000_000_000_000L;
    public static final String ID_PREFIX = "ps-";
    public static final String PAYMENT_SUFFIX = "-p";
    public static final String RESULT = "AUTHORIZED";
    public static final String BAD_ROW = "bad-row";
    /** At most this many bad rows are reported one by one; all are counted. */
    public static final int MAX_REPORTED = BadRows.MAX_REPORTED;

    /** The policy as shown by {@code convert --help} (picocli format: %n is a line break). */
    public static final String HELP = ""
            + "paysim: PaySim mobile-money CSV (step,type,amount,nameOrig,oldbalanceOrg,%n"
            + "  newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud);%n"
            + "  default input:%n"
            + "  shared/" + DEFAULT_INPUT + "%n"
            + "  Two events per row (row r = the r-th data row, on line r+1):%n"
            + "  - order: orderId = ps-<r>, userId = instrumentId = nameOrig, merchantId =%n"
            + "    nameDest, amount, currency = USD (a label: PaySim names no currency),%n"
            + "    one item sku = type, qty 1, unitPrice = amount, label = isFraud.%n"
            + "  - payment AUTHORIZED: paymentId = ps-<r>-p, same order, user, instrument and%n"
            + "    amount, no label (so evaluate counts each transaction once).%n"
            + "  - time = " + EPOCH_TEXT + " + (step - 1) h, each row at the hour's start.%n"
            + "  - amount exact (BigDecimal, 1.916920493E7 too), > 0, at most 2 decimals.%n"
            + "  - balances and isFlaggedFraud are not used (must be numbers / 0 or 1).%n"
            + "  - output sorted by step, stable (file order within a step).%n"
            + "  - bad rows are skipped, reported with file:line and reason, counted as%n"
            + "    bad-row; a wrong header or damaged file is bad input (exit 2).";

    static final String[] HEADER = {
        "step", "type", "amount", "nameOrig", "oldbalanceOrg", "newbalanceOrig", "nameDest", "oldbalanceDest",
        "newbalanceDest", "isFraud", "isFlaggedFraud"};

    /** PaySim's transaction types, in the order the summary lists them. */
    enum Type { CASH_IN, CASH_OUT, DEBIT, PAYMENT, TRANSFER }

    private static final int STEP = 0;
    private static final int TYPE = 1;
    private static final int AMOUNT = 2;
    private static final int NAME_ORIG = 3;
    private static final int NAME_DEST = 6;
    private static final int IS_FRAUD = 9;
    private static final int IS_FLAGGED = 10;
    private static final int[] BALANCES = {4, 5, 7, 8};

    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");
    /** A decimal as Java or pandas write it: digits, optional fraction, optional exponent; optional minus. */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d{1,3})?");
    private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(MAX_AMOUNT_MINOR).movePointLeft(2);
    private static final int CENTS = 2;

    public PaySimConverter() {
        super(NAME, DEFAULT_INPUT);
    }

    @Override
    public ConversionSummary convert(final Reader input, final String source, final EventJsonWriter out)
            throws BadInputException, IOException {
        final List<Row> rows = new ArrayList<>();
        long rowsRead = 0;
        final BadRows bad = badRows(source);
        try (CsvRows csv = new CsvRows(input, source)) {
            csv.requireHeader(HEADER);
            while (csv.next()) {
                rowsRead++;
                try {
                    rows.add(readRow(csv, rowsRead));
                } catch (final BadInputException e) {
                    bad.skip(e);
                }
            }
        }

        rows.sort(Comparator.comparingInt(Row::step)); // List.sort is stable: file order within a step
        long fraud = 0;
        final Map<Type, Long> byType = new EnumMap<>(Type.class);
        for (final Row r : rows) {
            final Instant time = timeOf(r.step);
            final String orderId = ID_PREFIX + r.row;
            out.writeOrder(new OrderEvent(time, orderId, r.nameOrig, r.amount, CURRENCY, null, null, null, r.nameOrig,
                    r.nameDest, null, List.of(new OrderEvent.Item(r.type.name(), 1, r.amount, null)), r.label));
            out.writePayment(new PaymentEvent(time, orderId + PAYMENT_SUFFIX, orderId, r.nameOrig, r.nameOrig, r.amount,
                    CURRENCY, RESULT, null));
            fraud += r.label;
            byType.merge(r.type, 1L, Long::sum);
        }
        out.flush();

        final Map<String, Long> skipped = new LinkedHashMap<>();
        skipped.put(BAD_ROW, bad.count());
        final StringBuilder types = new StringBuilder();
        for (final Type t : Type.values()) {
            types.append(types.length() == 0 ? "" : ", ").append(t).append(' ').append(byType.getOrDefault(t, 0L));
        }
        final String span = rows.isEmpty() ? "no events"
                : "steps " + rows.get(0).step + ".." + rows.get(rows.size() - 1).step + " = time span "
                + EventJsonWriter.formatTime(timeOf(rows.get(0).step)) + " .. "
                + EventJsonWriter.formatTime(timeOf(rows.get(rows.size() - 1).step));
        final String details = rows.size() + " orders + " + rows.size() + " payments, labels (on orders): " + fraud
                + " fraud (isFraud 1), " + (rows.size() - fraud) + " legit (isFraud 0); types: " + types + "; " + span;
        return new ConversionSummary(NAME, rowsRead, "transactions", rows.size(), "events", 2L * rows.size(), skipped, details);
    }

    /** Step s at {@link #EPOCH} + (s - 1) hours. */
    static Instant timeOf(final int step) {
        return EPOCH.plus(Duration.ofHours(step - 1L));
    }

    private static Row readRow(final CsvRows csv, final long row) throws BadInputException {
        final List<String> f = csv.fields();
        if (f.size() != HEADER.length) {
            throw csv.bad("expected " + HEADER.length + " columns but found " + f.size());
        }
        final String stepText = f.get(STEP);
        if (!WHOLE.matcher(stepText).matches() || Integer.parseInt(stepText) < 1 || Integer.parseInt(stepText) > MAX_STEP) {
            throw csv.bad("step '" + stepText + "' is not a whole number from 1 to " + MAX_STEP);
        }
        final Type type = type(csv, f.get(TYPE));
        final BigDecimal amount = amount(csv, f.get(AMOUNT));
        for (final int column : BALANCES) {
            if (!DECIMAL.matcher(f.get(column)).matches()) {
                throw csv.bad(HEADER[column] + " '" + f.get(column) + "' is not a number");
            }
        }
        final String nameOrig = id(csv, NAME_ORIG, f.get(NAME_ORIG));
        final String nameDest = id(csv, NAME_DEST, f.get(NAME_DEST));
        final int label = zeroOrOne(csv, IS_FRAUD, f.get(IS_FRAUD));
        zeroOrOne(csv, IS_FLAGGED, f.get(IS_FLAGGED));
        return new Row(row, Integer.parseInt(stepText), type, amount, nameOrig, nameDest, label);
    }

    private static Type type(final CsvRows csv, final String text) throws BadInputException {
        for (final Type t : Type.values()) {
            if (t.name().equals(text)) {
                return t;
            }
        }
        throw csv.bad("type '" + text + "' is not one of CASH_IN, CASH_OUT, DEBIT, PAYMENT, TRANSFER");
    }

    /** The exact amount at scale 2: > 0, at most 2 significant decimals, at most MAX_AMOUNT. */
    static BigDecimal amount(final CsvRows csv, final String text) throws BadInputException {
        if (!DECIMAL.matcher(text).matches()) {
            throw csv.bad("amount '" + text + "' is not a number");
        }
        final BigDecimal value = new BigDecimal(text);
        if (value.signum() <= 0) {
            throw csv.bad("amount '" + text + "' is not > 0");
        }
        if (value.stripTrailingZeros().scale() > CENTS) {
            throw csv.bad("amount '" + text + "' has more than " + CENTS + " decimal places (cents); it is not rounded");
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            throw csv.bad("amount '" + text + "' is larger than " + MAX_AMOUNT.toPlainString());
        }
        return value.setScale(CENTS);
    }

    private static String id(final CsvRows csv, final int column, final String text) throws BadInputException {
        if (!EventJsonWriter.isValidId(text)) {
            throw csv.bad(HEADER[column] + " '" + text + "' is empty or longer than " + EventJsonWriter.MAX_ID_BYTES + " UTF-8 bytes");
        }
        return text;
    }

    /** 0 or 1, written as {@code 0}/{@code 1} (the log) or {@code 0.0}/{@code 1.0} (pandas). */
    private static int zeroOrOne(final CsvRows csv, final int column, final String text) throws BadInputException {
        switch (text) {
            case "0", "0.0" -> {
                return 0;
            }
            case "1", "1.0" -> {
                return 1;
            }
            default -> throw csv.bad(HEADER[column] + " '" + text + "' is not 0 or 1");
        }
    }

    private record Row(long row, int step, Type type, BigDecimal amount, String nameOrig, String nameDest, int label) {
    }
}
