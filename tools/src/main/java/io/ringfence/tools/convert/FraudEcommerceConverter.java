package io.ringfence.tools.convert;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts the "Fraud ecommerce" take-home data ({@code shared/data/fraud-ecommerce/}, see
 * {@code shared/data/README.md} §2) into {@code activity} SIGNUP and {@code order} events.
 *
 * <p>Input: CSV with the header {@code user_id,signup_time,purchase_time,purchase_value,device_id,
 * source,browser,sex,age,class} (the 51,689-row file without IPs) or the same with
 * {@code ip_address} before {@code class} (the 30,189-row file). One row per user: that user's
 * first purchase.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>Each row gives two events: an {@code activity} {@code SIGNUP} at {@code signup_time}
 *       ({@code userId} = user_id, {@code sessionId} = {@code signup-} + user_id, {@code ip},
 *       {@code deviceId} = device_id) and an {@code order} at {@code purchase_time}
 *       ({@code orderId} = {@code order-} + user_id, same userId, ip and deviceId;
 *       {@code amount} = purchase_value, whole USD written as {@code "34.00"}; {@code currency}
 *       = USD; {@code merchantId} = {@code fraud-ecommerce}; {@code label} = class; no items,
 *       no country, no channel: {@code source} (SEO/Ads/Direct) is a marketing channel, not one of
 *       the engine's sales channels; browser, sex and age are not used).</li>
 *   <li>Times: {@code M/d/yy H:mm} or {@code M/d/yyyy H:mm} (an optional {@code :ss} is read
 *       too); a 2-digit year yy is 20yy. The file has no zone; the data set's description says
 *       GMT, so they are read as UTC and written as ISO-8601 with {@code Z}.</li>
 *   <li>{@code ip_address} (when the column exists) is a numeric IPv4 address that a
 *       spreadsheet wrote as a float ({@code 732758368.8}): its integer part (floor) is written as
 *       a dotted quad ({@code 732758368} → {@code 43.173.1.96}). Values above 4294967295 are bad
 *       rows.</li>
 *   <li>Output sorted by event time over all events. Ties: SIGNUP before order (so a user whose
 *       signup and purchase are in the same minute signs up first), then user_id ascending
 *       (numerically).</li>
 *   <li>Bad rows are skipped, not fatal: each is reported as {@code file:line: reason} and
 *       counted ({@code bad-row} in the summary). A row is bad when it has the wrong number of
 *       columns, a user_id that is not a whole number or repeats an earlier row's, a time that
 *       does not parse, a purchase_time before its signup_time, a purchase_value that is not a
 *       whole number &gt; 0, an empty device_id or one over 36 bytes, an ip_address that is not
 *       a number in the IPv4 range, or a class other than 0/1. A wrong header or a damaged file
 *       stops the conversion (exit 2).</li>
 * </ul>
 */
public final class FraudEcommerceConverter extends RowSkippingConverter {
    public static final String NAME = "fraud-ecommerce";
    public static final String DEFAULT_INPUT = "data/fraud-ecommerce/Fraud_Data_first51689_noip.csv";
    public static final String CURRENCY = "USD";
    public static final String MERCHANT_ID = "fraud-ecommerce";
    public static final String SESSION_PREFIX = "signup-";
    public static final String ORDER_PREFIX = "order-";
    public static final String SIGNUP = "SIGNUP";
    public static final String BAD_ROW = "bad-row";
    /** At most this many bad rows are reported one by one; all are counted. */
    public static final int MAX_REPORTED = BadRows.MAX_REPORTED;

    /** The policy as shown by {@code convert --help} (picocli format: %n is a line break). */
    public static final String HELP = ""
            + "fraud-ecommerce: \"Fraud ecommerce\" CSV (user_id,signup_time,purchase_time,%n"
            + "  purchase_value,device_id,source,browser,sex,age,[ip_address,]class); default%n"
            + "  input shared/" + DEFAULT_INPUT + ".%n"
            + "  Two events per row:%n"
            + "  - activity SIGNUP at signup_time: userId = user_id, sessionId =%n"
            + "    signup-<user_id>, ip, deviceId = device_id.%n"
            + "  - order at purchase_time: orderId = order-<user_id>, userId, ip, deviceId,%n"
            + "    amount = purchase_value (whole USD), currency = USD, merchantId =%n"
            + "    fraud-ecommerce, label = class; no items, country or channel.%n"
            + "  - times M/d/yy H:mm or M/d/yyyy H:mm (yy = 20yy), read as UTC (GMT).%n"
            + "  - ip_address, a float like 732758368.8: its integer part as a dotted quad.%n"
            + "  - output sorted by time; ties: SIGNUP before order, then user_id.%n"
            + "  - bad rows are skipped, reported with file:line and reason, counted as%n"
            + "    bad-row; a wrong header or damaged file is bad input (exit 2).";

    static final String[] HEADER_NO_IP = {
        "user_id", "signup_time", "purchase_time", "purchase_value", "device_id", "source", "browser", "sex", "age", "class"};
    static final String[] HEADER_IP = {
        "user_id", "signup_time", "purchase_time", "purchase_value", "device_id", "source", "browser", "sex", "age",
        "ip_address", "class"};

    private static final int USER_ID = 0;
    private static final int SIGNUP_TIME = 1;
    private static final int PURCHASE_TIME = 2;
    private static final int PURCHASE_VALUE = 3;
    private static final int DEVICE_ID = 4;

    private static final Pattern TIME = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{2}|\\d{4}) (\\d{1,2}):(\\d{2})(?::(\\d{2}))?");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");
    private static final Pattern IP_NUMBER = Pattern.compile("(\\d{1,10})(\\.\\d*)?");
    private static final long MAX_IPV4 = 0xFFFF_FFFFL;

    public FraudEcommerceConverter() {
        super(NAME, DEFAULT_INPUT);
    }

    @Override
    public ConversionSummary convert(final Reader input, final String source, final EventJsonWriter out)
            throws BadInputException, IOException {
        final List<Row> rows = new ArrayList<>();
        final Map<Long, Long> lineOfUser = new HashMap<>();
        long rowsRead = 0;
        final BadRows bad = badRows(source);
        final boolean hasIp;
        try (CsvRows csv = new CsvRows(input, source)) {
            hasIp = readHeader(csv);
            final int columns = hasIp ? HEADER_IP.length : HEADER_NO_IP.length;
            while (csv.next()) {
                rowsRead++;
                try {
                    final Row row = readRow(csv, columns, hasIp);
                    final Long earlier = lineOfUser.putIfAbsent(row.userNumber, csv.line());
                    if (earlier != null) {
                        throw csv.bad("user_id " + row.userId + " repeats the row on line " + earlier);
                    }
                    rows.add(row);
                } catch (final BadInputException e) {
                    bad.skip(e);
                }
            }
        }

        final List<Event> events = new ArrayList<>(rows.size() * 2);
        long fraud = 0;
        for (final Row row : rows) {
            events.add(new Event(row.signup, 0, row));
            events.add(new Event(row.purchase, 1, row));
            fraud += row.label;
        }
        events.sort(Comparator.comparing(Event::time).thenComparingInt(Event::kind)
                .thenComparingLong(e -> e.row.userNumber));
        for (final Event e : events) {
            final Row r = e.row;
            if (e.kind == 0) {
                out.writeActivity(e.time, r.userId, SIGNUP, SESSION_PREFIX + r.userId, r.ip, r.deviceId);
            } else {
                out.writeOrder(new OrderEvent(e.time, ORDER_PREFIX + r.userId, r.userId, r.amount, CURRENCY, null,
                        r.ip, r.deviceId, null, MERCHANT_ID, null, List.of(), r.label));
            }
        }
        out.flush();

        final Map<String, Long> skipped = new LinkedHashMap<>();
        skipped.put(BAD_ROW, bad.count());
        final String span = events.isEmpty() ? "no events"
                : "time span " + EventJsonWriter.formatTime(events.get(0).time) + " .. "
                + EventJsonWriter.formatTime(events.get(events.size() - 1).time);
        final String details = rows.size() + " signups + " + rows.size() + " orders, labels: " + fraud + " fraud (class 1), "
                + (rows.size() - fraud) + " legit (class 0), " + (hasIp ? "with" : "without") /* the header's, also with no row (audit) */ + " ip; " + span;
        return new ConversionSummary(NAME, rowsRead, "users", rows.size(), "events", events.size(), skipped, details);
    }

    private static boolean readHeader(final CsvRows csv) throws BadInputException, IOException {
        final String expected = String.join(",", HEADER_NO_IP) + " or " + String.join(",", HEADER_IP);
        if (!csv.next()) {
            throw csv.bad("the file is empty; expected the header " + expected);
        }
        if (csv.fields().equals(Arrays.asList(HEADER_NO_IP))) {
            return false;
        }
        if (csv.fields().equals(Arrays.asList(HEADER_IP))) {
            return true;
        }
        throw csv.bad("expected the header " + expected + " but found " + String.join(",", csv.fields()));
    }

    private static Row readRow(final CsvRows csv, final int columns, final boolean hasIp) throws BadInputException {
        final List<String> f = csv.fields();
        if (f.size() != columns) {
            throw csv.bad("expected " + columns + " columns but found " + f.size());
        }
        final String userText = f.get(USER_ID);
        if (!WHOLE.matcher(userText).matches()) {
            throw csv.bad("user_id '" + userText + "' is not a whole number");
        }
        final long userNumber = Long.parseLong(userText);
        final String userId = Long.toString(userNumber);
        final Instant signup = parseTime(csv, "signup_time", f.get(SIGNUP_TIME));
        final Instant purchase = parseTime(csv, "purchase_time", f.get(PURCHASE_TIME));
        if (purchase.isBefore(signup)) {
            throw csv.bad("purchase_time " + f.get(PURCHASE_TIME) + " is before signup_time " + f.get(SIGNUP_TIME));
        }
        final String valueText = f.get(PURCHASE_VALUE);
        if (!WHOLE.matcher(valueText).matches() || Long.parseLong(valueText) <= 0) {
            throw csv.bad("purchase_value '" + valueText + "' is not a whole number > 0");
        }
        final BigDecimal amount = new BigDecimal(Long.parseLong(valueText)).setScale(2);
        final String deviceId = f.get(DEVICE_ID);
        if (!EventJsonWriter.isValidId(deviceId)) {
            throw csv.bad("device_id '" + deviceId + "' is empty or longer than " + EventJsonWriter.MAX_ID_BYTES + " UTF-8 bytes");
        }
        final String ip = hasIp ? ipv4(csv, f.get(columns - 2)) : null;
        final String classText = f.get(columns - 1);
        if (!classText.equals("0") && !classText.equals("1")) {
            throw csv.bad("class '" + classText + "' is not 0 or 1");
        }
        return new Row(userNumber, userId, signup, purchase, amount, deviceId, ip, classText.charAt(0) - '0');
    }

    /** {@code M/d/yy H:mm} or {@code M/d/yyyy H:mm} (optionally {@code :ss}), UTC; yy is 20yy. */
    static Instant parseTime(final CsvRows csv, final String column, final String text) throws BadInputException {
        final Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw csv.bad(column + " '" + text + "' is not M/d/yy H:mm or M/d/yyyy H:mm");
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += 2000;
        }
        final Instant time;
        try {
            time = LocalDateTime.of(year, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6))).toInstant(ZoneOffset.UTC);
        } catch (final DateTimeException e) {
            throw csv.bad(column + " '" + text + "' is not a valid date-time (" + e.getMessage() + ")");
        }
        final String outside = EventTimeRange.outside(column + " '" + text + "'", time);
        if (outside != null) {
            throw csv.bad(outside);
        }
        return time;
    }

    /** A numeric IPv4 address written as a float: the integer part as a dotted quad. */
    static String ipv4(final CsvRows csv, final String text) throws BadInputException {
        final Matcher m = IP_NUMBER.matcher(text);
        final long value = m.matches() ? Long.parseLong(m.group(1)) : -1;
        if (value < 0 || value > MAX_IPV4) {
            throw csv.bad("ip_address '" + text + "' is not a number from 0 to " + MAX_IPV4);
        }
        return dottedQuad(value);
    }

    static String dottedQuad(final long value) {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }

    private record Row(long userNumber, String userId, Instant signup, Instant purchase, BigDecimal amount,
                       String deviceId, String ip, int label) {
    }

    /** kind 0 = SIGNUP, 1 = order (the tie order). */
    private record Event(Instant time, int kind, Row row) {
    }
}
