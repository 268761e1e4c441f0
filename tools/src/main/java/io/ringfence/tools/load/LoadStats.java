package io.ringfence.tools.load;

import io.ringfence.sbe.RejectCode;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;

/** Counts of one load run on the sending thread, and the closing summary. */
final class LoadStats {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String SEQUENCE_CONFLICT = io.ringfence.gateway.client.ClientDisconnectReason.SEQUENCE_CONFLICT.name();

    long firstClientSeq;
    long sent;
    long badLines;
    final Map<RejectCode, Long> badLinesByCode = new EnumMap<>(RejectCode.class);
    long startNanos;
    long endNanos;
    long resent;
    long reconnects;
    /** Why the run stopped before every event was answered, or null. */
    String failure;

    void badLine(final RejectCode code) {
        badLines++;
        badLinesByCode.merge(code, 1L, Long::sum);
    }

    /**
     * A rate for people: whole numbers with separators from 10 a second up, else three significant digits (review:
     * {@code --rate 0.125} printed "0 events/s").
     */
    static String perSecond(final double rate) {
        if (rate >= 10 || rate == 0) {
            return String.format("%,.0f", rate);
        }
        return new java.math.BigDecimal(rate).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    void print(final PrintStream out, final LoadListener answers, final double rate, final String outFile) {
        final double seconds = Math.max(1e-9, (endNanos - startNanos) / 1e9);
        out.printf("sent %,d events%s in %.2f s: %s events/s achieved%s%n", sent,
            sent == 0 ? "" : String.format(" (clientSeq %,d..%,d)", firstClientSeq, firstClientSeq + sent - 1),
            seconds, perSecond(sent / seconds), rate > 0 ? " (" + perSecond(rate) + "/s offered)" : "");
        out.printf("answers: %,d of %,d events: %,d decisions (%s), %,d acks, %,d rejects%s%n",
            answers.answers(), sent, answers.decisions(), io.ringfence.tools.run.Summaries.outcomes(answers::outcomes),
            answers.acks(), answers.rejected(),
            answers.rejects().isEmpty() ? "" : " " + answers.rejects());
        if (answers.answers() + answers.inFile() < sent && failure != null && failure.contains(SEQUENCE_CONFLICT)) {
            out.printf("  %,d events without an answer: not processed; the server journaled another process's events under"
                + " their client sequences (%s)%n", sent - answers.answers() - answers.inFile(), failure);
        } else if (answers.answers() + answers.inFile() < sent && failure != null) {
            out.printf("  %,d events without an answer: the run stopped before they were answered (%s). Which of them the"
                + " server journaled its LogonAck says at the next logon (`load --resume` asks for their answers), and"
                + " `ringfence journal --data DIR` lists the events%n", sent - answers.answers() - answers.inFile(), failure);
        } else if (answers.answers() + answers.inFile() < sent) {
            out.printf("  %,d events without an answer: the server did not answer them (its log says why; `ringfence journal"
                + " --data DIR` shows which it journaled)%n", sent - answers.answers() - answers.inFile());
        }
        if (badLines > 0) {
            out.printf("bad input lines skipped: %,d %s%n", badLines, badLinesByCode);
        }
        if (answers.inFile() > 0) {
            out.printf("  %,d events sent again were already answered in the answers file: their answers came back, not written"
                + " twice%n", answers.inFile());
        }
        if (answers.notHeld() > 0) {
            out.printf("  %,d events were processed earlier, but their answers are older than the server holds (the last %,d"
                + " a client): Reject DUPLICATE stands in for each; `ringfence explain --order ID` gives the decisions%n",
                answers.notHeld(), io.ringfence.gateway.client.GatewayClient.ANSWERS_HELD);
        }
        if (answers.taken() > 0) {
            out.printf("  %,d events refused as taken by another message (Reject DUPLICATE): the server holds other messages under"
                + " their client sequences; they were not processed%n", answers.taken());
        }
        out.printf("connection: %,d disconnects, %,d reconnects, %,d messages resent, %,d answers received twice (counted once)%s%n",
            answers.disconnects(), reconnects, resent, answers.duplicates(),
            answers.unknown() > 0 ? String.format(", %,d answers to no event of this run", answers.unknown()) : "");
        final Histogram h = answers.latencyMicros();
        if (h.getTotalCount() > 0) {
            out.println(rate > 0
                ? "latency, intended send -> answer received (µs, coordinated-omission corrected):"
                : "latency, event taken for sending -> answer received (µs; --rate 0 has no schedule, so a stalled server"
                    + " also slows the sending: use --rate R for coordinated-omission corrected figures):");
            final StringBuilder head = new StringBuilder();
            final StringBuilder values = new StringBuilder();
            for (final double p : PERCENTILES) {
                head.append(String.format("%12s", "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p))));
                values.append(String.format("%,12d", h.getValueAtPercentile(p)));
            }
            head.append(String.format("%12s", "max"));
            values.append(String.format("%,12d", h.getMaxValue()));
            out.println(head);
            out.println(values);
        }
        if (outFile != null && !"-".equals(outFile)) {
            out.println("answers written to " + outFile);
        }
    }
}
