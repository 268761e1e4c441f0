package io.ringfence.tools.replay;

import io.ringfence.engine.model.Ids;
import io.ringfence.tools.cli.CliTimes;
import io.ringfence.engine.model.Times;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which outputs {@code replay} writes: by the event time of the event that caused them
 * ({@code from <= time < to}) and by its journaled ingest time, when the engine took it
 * ({@code --ingest-from/--ingest-to}: a backfill's or a late client's events carry times long before
 * they were decided), their user and order (an order id, or a payment id): the output's
 * own where it names them (order-status pushes, cart promotions), else the causing event's; and
 * the output type.
 * Every event still goes through the engine; only the writing is selected.
 */
final class OutputSelection {
    static final OutputSelection ALL = new OutputSelection(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
            null, null, null);

    private final long fromMicros;
    private final long toMicros;
    private final long ingestFromMicros;
    private final long ingestToMicros;
    private final byte[] user;
    private final byte[] order;
    /** Selected template ids, or null for every type. */
    private final boolean[] types;

    private OutputSelection(final long fromMicros, final long toMicros, final long ingestFromMicros, final long ingestToMicros,
                            final byte[] user, final byte[] order, final boolean[] types) {
        this.fromMicros = fromMicros;
        this.toMicros = toMicros;
        this.ingestFromMicros = ingestFromMicros;
        this.ingestToMicros = ingestToMicros;
        this.user = user;
        this.order = order;
        this.types = types;
    }

    /**
     * @throws IllegalArgumentException naming the option and the value when one is not understood
     */
    static OutputSelection of(final String from, final String to, final String user, final String order,
                              final List<String> types) {
        return of(from, to, null, null, user, order, types);
    }

    /** The same, with an ingest-time range too ({@code --ingest-from}, {@code --ingest-to}; null for none). */
    static OutputSelection of(final String from, final String to, final String ingestFrom, final String ingestTo,
                              final String user, final String order, final List<String> types) {
        final long fromMicros = from == null ? Long.MIN_VALUE : time("--from", from);
        final long toMicros = to == null ? Long.MAX_VALUE : time("--to", to);
        if (fromMicros >= toMicros) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
        final long ingestFromMicros = ingestFrom == null ? Long.MIN_VALUE : time("--ingest-from", ingestFrom);
        final long ingestToMicros = ingestTo == null ? Long.MAX_VALUE : time("--ingest-to", ingestTo);
        if (ingestFromMicros >= ingestToMicros) {
            throw new IllegalArgumentException("--ingest-from " + ingestFrom + " must be before --ingest-to " + ingestTo);
        }
        boolean[] selected = null;
        if (types != null && !types.isEmpty()) {
            selected = new boolean[64];
            for (final String type : types) {
                int template = -1;
                for (final String known : OutputRow.TYPES) { // any case, as other enum values on the command line
                    if (known.equalsIgnoreCase(type.trim())) {
                        template = OutputRow.templateOf(known);
                    }
                }
                if (template < 0 || template >= selected.length) {
                    throw new IllegalArgumentException("--type '" + type + "' is not one of " + String.join(", ", OutputRow.TYPES));
                }
                selected[template] = true;
            }
        }
        return new OutputSelection(fromMicros, toMicros, ingestFromMicros, ingestToMicros, id("--user", user),
                id("--order", order), selected);
    }

    private static byte[] id(final String option, final String id) {
        if (id == null) {
            return null;
        }
        final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Ids.MAX_ID_BYTES) {
            throw new IllegalArgumentException(option + " '" + id + "' must be 1.." + Ids.MAX_ID_BYTES + " UTF-8 bytes");
        }
        return bytes;
    }

    /** A time or date as {@link CliTimes} reads it; a bound between two microseconds is the next one up. */
    static long time(final String option, final String text) {
        // event times are whole microseconds: a bound between two of them is the next one up, for --from
        // (t >= bound) and --to (t < bound) alike; times round sub-microsecond digits down
        return CliTimes.parseMicros(option, text) + (belowMicrosecond(text) ? 1 : 0);
    }

    /** Whether the text's fraction has a non-zero digit after the sixth. */
    private static boolean belowMicrosecond(final String text) {
        final int dot = text.indexOf('.', 19);
        if (dot < 0) {
            return false;
        }
        for (int i = dot + 7; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            if (text.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    boolean selectsAll() {
        return this == ALL || (!filtersTime() && user == null && order == null && types == null);
    }

    /** Whether the output of type {@code template} caused by the event at {@code sequence} is written. */
    boolean selects(final int template, final long sequence, final CausingEvents events) {
        return selectsType(template) && selectsOutputsOf(sequence, events);
    }

    /** Whether outputs of type {@code template} are written (when the other filters select them). */
    boolean selectsType(final int template) {
        return types == null || (template < types.length && types[template]);
    }

    /**
     * Whether the output read into {@code row}, caused by the event at {@code sequence}, passes
     * the time, user and order filters: by its own order and user where it names them (a
     * timer's push is about another order than the event that fired it), else by the causing
     * event's. Its type is checked by {@link #selectsType}.
     */
    boolean selects(final OutputRow row, final long sequence, final CausingEvents events) {
        if (!row.ownSubject) {
            if (user != null && !row.decidedUser.isEmpty()) { // a decision's user: a payment's own, or its order's
                return inTime(sequence, events) && Arrays.equals(user, row.decidedUser.getBytes(StandardCharsets.UTF_8))
                        && (order == null || events.orderOrPaymentIs(sequence, order));
            }
            return selectsOutputsOf(sequence, events);
        }
        if (!inTime(sequence, events)) {
            return false;
        }
        if (user != null && !Arrays.equals(user, row.user.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        return order == null || Arrays.equals(order, row.order.getBytes(StandardCharsets.UTF_8))
                || (events.paymentIs(sequence, order) && OutputRow.causedByItsOrdersPayment(row, sequence, events));
    }

    /**
     * The same user and order filters without the time and type ones: the first event they select
     * is where a replay can start from a snapshot, since every output about that user or order
     * (a timer's push included, whatever its time) comes at or after that id's first event.
     */
    OutputSelection idsOnly() {
        return new OutputSelection(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, user, order, null);
    }

    /** Whether the filters name a user or an order. */
    boolean filtersIds() {
        return user != null || order != null;
    }

    /**
     * Whether the event at {@code sequence} is inside the event-time range and the ingest-time range (any event is when
     * none is given).
     */
    boolean inTime(final long sequence, final CausingEvents events) {
        if (fromMicros != Long.MIN_VALUE || toMicros != Long.MAX_VALUE) {
            final long time = events.time(sequence);
            if (time == CausingEvents.NO_TIME || time < fromMicros || time >= toMicros) {
                return false;
            }
        }
        final long ingest = events.ingestTime(sequence);
        return ingest >= ingestFromMicros && ingest < ingestToMicros;
    }

    /** Whether a {@code --from}, {@code --to}, {@code --ingest-from} or {@code --ingest-to} is given. */
    boolean filtersTime() {
        return fromMicros != Long.MIN_VALUE || toMicros != Long.MAX_VALUE || ingestFromMicros != Long.MIN_VALUE
                || ingestToMicros != Long.MAX_VALUE;
    }

    /** Whether the filters select events (time, user, order), so outputs of earlier events can be skipped. */
    boolean filtersEvents() {
        return filtersTime() || user != null || order != null;
    }

    /** Whether outputs (of a selected type) caused by the event at {@code sequence} are written. */
    boolean selectsOutputsOf(final long sequence, final CausingEvents events) {
        if (!inTime(sequence, events)) {
            return false;
        }
        if (user != null && !events.userIs(sequence, user)) {
            return false;
        }
        return order == null || events.orderOrPaymentIs(sequence, order);
    }

    /**
     * Where a replay may start: {@link #selectsOutputsOf}, or with both a user and an order given, an event of that order
     * or payment naming no user, whose decision may carry the user of its order (review: {@code --user u47 --order
     * po2113} was refused for a payment naming only its order, though {@code --user u47} lists its decisions).
     */
    boolean mayStartAt(final long sequence, final CausingEvents events) {
        return selectsOutputsOf(sequence, events) || user != null && order != null && events.userAbsent(sequence)
                && inTime(sequence, events) && events.orderOrPaymentIs(sequence, order);
    }

    /** The filters in words, for the summary. */
    String describe() {
        final List<String> parts = new ArrayList<>();
        if (fromMicros != Long.MIN_VALUE) {
            parts.add("from " + Times.format(fromMicros));
        }
        if (toMicros != Long.MAX_VALUE) {
            parts.add("before " + Times.format(toMicros));
        }
        if (ingestFromMicros != Long.MIN_VALUE) {
            parts.add("ingested from " + Times.format(ingestFromMicros));
        }
        if (ingestToMicros != Long.MAX_VALUE) {
            parts.add("ingested before " + Times.format(ingestToMicros));
        }
        if (user != null) {
            parts.add("user " + new String(user, StandardCharsets.UTF_8));
        }
        if (order != null) {
            parts.add("order/payment " + new String(order, StandardCharsets.UTF_8));
        }
        if (types != null) {
            final List<String> names = new ArrayList<>();
            for (int t = 0; t < types.length; t++) {
                if (types[t]) {
                    names.add(OutputRow.typeName(t));
                }
            }
            parts.add("type " + String.join(",", names));
        }
        return parts.isEmpty() ? "all outputs" : String.join(", ", parts);
    }
}
