package io.ringfence.tools.replay;

import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.engine.model.Times;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.tools.run.OutputCounts;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the selected outputs of a replay, in engine order, as JSON Lines (the engine's own rendering,
 * byte for byte what {@code run} wrote) or as CSV rows of the columns every type shares
 * ({@link OutputRow#CSV_HEADER}). A row also says when the engine took the event that caused the output,
 * who sent it (client and its sequence), an order's or payment's amount and currency, and the
 * configuration the replay decided it under (compliance trial: an export a reviewer could not tie to a
 * sender, an amount or the rules of then). Runs on the dispatch thread.
 */
final class ReplaySink implements OutputSink, OutputCounts {
    enum Format { JSONL, CSV }

    private final OutputStream out;
    private final Format format;
    private final OutputSelection selection;
    private final CausingEvents events;
    private final JsonOutputWriter json = new JsonOutputWriter();
    private final OutputRow row = new OutputRow();
    private final StringBuilder line = new StringBuilder(256);
    private final long[] countsByTemplate = new long[64];
    private final io.ringfence.tools.run.OutcomeCounts outcomes = new io.ringfence.tools.run.OutcomeCounts();
    private volatile long written;
    private volatile long produced;
    /** The write that failed (later outputs are dropped), or null; {@link #onFailure} is told once. */
    private volatile IOException failure;
    private Runnable onFailure = () -> { };
    /** Client keys to ids ({@code ringfence-clients.json}), for the CSV's client column. */
    private java.util.Map<Long, String> clientNames = java.util.Map.of();
    /** The CSV's last two fields for the outputs now written: the deciding file (or "defaults") and its SHA-256; set between ranges. */
    private volatile String configuration = ",";

    ReplaySink(final OutputStream out, final Format format, final OutputSelection selection, final CausingEvents events) {
        this.out = out;
        this.format = format;
        this.selection = selection;
        this.events = events;
        if (format == Format.CSV) {
            write(OutputRow.CSV_HEADER + "\n");
        }
    }

    /** Told once, on the dispatch thread, when a write fails (review: the failure ended replay with stack traces). */
    ReplaySink onFailure(final Runnable action) {
        this.onFailure = action;
        return this;
    }

    /** Names the CSV's clients by these ids (key to id; a key not in it is written as its 16 hex digits). */
    ReplaySink clientNames(final java.util.Map<Long, String> names) {
        this.clientNames = names;
        return this;
    }

    /**
     * The configuration file that decides the outputs from now on, null for the defaults, for the CSV's columns (before
     * its engine starts): its path and the SHA-256 of its bytes now, which its seal names, so a row still says which
     * configuration it was once the file has moved to config-history/ (review LOW).
     */
    ReplaySink configuration(final java.nio.file.Path file) {
        String sha = "";
        if (file != null) {
            try {
                sha = io.ringfence.journal.JournalSeals.sha256Hex(java.nio.file.Files.readAllBytes(file));
            } catch (final IOException e) {
                sha = "not readable";
            }
        }
        this.configuration = (file == null ? "defaults" : OutputRow.csv(file.toString())) + "," + sha;
        return this;
    }

    /** The write that failed, or null. */
    IOException failure() {
        return failure;
    }

    private void failed(final IOException e) {
        if (failure == null) {
            failure = e;
            onFailure.run();
        }
    }

    @Override
    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                         final int offset, final int length) {
        produced++;
        if (failure != null) {
            return;
        }
        final int template = row.templateAt(buffer, offset);
        if (!selection.selectsType(template)) {
            return;
        }
        final boolean csv = format == Format.CSV;
        if (csv || selection.filtersEvents()) {
            row.read(sequence, buffer, offset, csv);
            if (!selection.selects(row, sequence, events)) {
                return;
            }
        }
        if (template < countsByTemplate.length) {
            countsByTemplate[template]++;
        }
        outcomes.onOutput(buffer, offset);
        written++;
        if (format == Format.JSONL) {
            try {
                json.rejectsNameClientSeq(sourceId != io.ringfence.tools.run.RunCommand.FILE_SOURCE); // a server's journal
                json.write(buffer, offset, out);
            } catch (final IOException e) {
                failed(e);
            }
            return;
        }
        final long time = events.time(sequence);
        line.setLength(0);
        line.append(sequence).append(',')
                .append(time == CausingEvents.NO_TIME ? "" : Times.format(time)).append(',')
                .append(row.type).append(',')
                .append(OutputRow.csv(row.ownSubject ? row.order : events.order(sequence))).append(',')
                .append(OutputRow.csv(!row.ownSubject || OutputRow.causedByItsOrdersPayment(row, sequence, events)
                        ? events.payment(sequence) : "")).append(',')
                .append(OutputRow.csv(row.ownSubject ? row.user : !row.decidedUser.isEmpty() ? row.decidedUser
                        : events.user(sequence))).append(',')
                .append(row.decision).append(',')
                .append(OutputRow.score(row.score)).append(',')
                .append(OutputRow.csv(OutputRow.reasons(row.reasons))).append(',')
                .append(Times.format(events.ingestTime(sequence))).append(',');
        // the causing order's or payment's amount: not for an output about another order (a timer's push) or none
        final boolean itsOwnEvent = !row.ownSubject || !row.order.isEmpty() && row.order.equals(events.order(sequence));
        line.append(itsOwnEvent ? events.amountText(sequence) : "").append(',')
                .append(itsOwnEvent ? events.currency(sequence) : "").append(',')
                .append(OutputRow.csv(client(events.source(sequence)))).append(',')
                .append(events.clientSeq(sequence)).append(',')
                .append(configuration).append('\n');
        write(line);
    }

    /** A gateway client's id, or its key's hex digits when not recorded; "" for a {@code run}'s input file. */
    private String client(final long source) {
        if (source == io.ringfence.tools.run.RunCommand.FILE_SOURCE) {
            return "";
        }
        final String name = clientNames.get(source);
        return name != null ? name : io.ringfence.tools.io.ClientNames.hex(source);
    }

    private void write(final CharSequence text) {
        if (failure != null) {
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            failed(e);
        }
    }

    @Override
    public void onEndOfInput(final long lastSequence) {
        if (failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (final IOException e) {
            failed(e);
        }
    }

    @Override
    public long written() {
        return written;
    }

    /** Outputs the engine produced, written or not. */
    long produced() {
        return produced;
    }

    @Override
    public long count(final int templateId) {
        return templateId < countsByTemplate.length ? countsByTemplate[templateId] : 0;
    }

    @Override
    public long decisions(final io.ringfence.sbe.Outcome outcome) {
        return outcomes.count(outcome);
    }

    @Override
    public String engineRejects(final long total) {
        return outcomes.engineRejects(total);
    }
}
