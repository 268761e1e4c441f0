package io.ringfence.tools.subscribe;

import io.ringfence.engine.codec.JsonOutputWriter;
import io.ringfence.gateway.client.ClientDisconnectReason;
import io.ringfence.gateway.client.ClientListener;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.AnomalyAlertDecoder;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.OrderStatusPushDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.StockPushDecoder;
import io.ringfence.sbe.TrendingPushDecoder;
import io.ringfence.sbe.WindowResultDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The {@code subscribe} command's client listener: writes every push as one JSON line, rendered
 * as {@code run} renders outputs ({@link JsonOutputWriter}), counts pushes by type and the
 * connection's losses, and stops the command at {@code --count}, on a refusal from the server, or
 * when the client gives up. Runs on the client's I/O thread; the counts are read after the client
 * is closed (which joins that thread).
 *
 * <p>The server delivers a push once per session however many of its subscriptions match, so
 * overlapping {@code --sub}s (a user and one of that user's orders) print it once.
 */
final class PushPrinter implements ClientListener {
    /** {@code Reject.seq} of a Reject the gateway sends before it closes the session. */
    private static final long SESSION_REJECT_SEQ = -1;
    /** The push templates, in the order the summary lists them. */
    private static final int[] PUSH_TEMPLATES = {OrderStatusPushDecoder.TEMPLATE_ID, StockPushDecoder.TEMPLATE_ID,
        FraudAlertDecoder.TEMPLATE_ID, WindowResultDecoder.TEMPLATE_ID, AnomalyAlertDecoder.TEMPLATE_ID, TrendingPushDecoder.TEMPLATE_ID};

    private final OutputStream out;
    private final long limit;
    private final StopSignal stop;
    private final PrintStream notes;
    private final JsonOutputWriter writer = new JsonOutputWriter();
    private final long[] byTemplate = new long[64];
    private long printed;
    private long unknown;
    private long disconnects;
    /** {@code --resume}: the sequence whose repeats are dropped (-1: none), and the lines of it the file holds. */
    private long repeatsOf = -1;
    private final java.util.List<String> repeats = new java.util.ArrayList<>();
    private final java.io.ByteArrayOutputStream rendered = new java.io.ByteArrayOutputStream(512);
    /**
     * Pushes printed when the session logged on: until its CatchUp completes a session gets only the pushes it is
     * caught up on, so those printed since are what it missed (repeats of what it had are never printed).
     */
    private long printedAtLogon;
    private long caughtUpTotal;
    private long overflows;
    private long gaps;
    private boolean loggedOn;
    /** A resume was sent and its CatchUp (which says whether pushes were lost) has not come yet. */
    private boolean catchUpPending;
    /** --count was reached while a CatchUp was pending: it stops when the CatchUp has come. */
    private boolean countReached;
    private String sessionReject;
    private volatile String failure;

    /**
     * @param out           where the JSON lines go
     * @param limit         pushes to print before stopping ({@code Long.MAX_VALUE}: no limit)
     * @param notes         where connection notes go (stderr)
     */
    PushPrinter(final OutputStream out, final long limit,
                final StopSignal stop, final PrintStream notes) {
        this.out = out;
        this.limit = limit;
        this.stop = stop;
        this.notes = notes;
    }

    /**
     * {@code --resume}: the pushes of engine sequence {@code seq} come again, and those equal to one of {@code lines}
     * (what the file already ends with) are not printed again. Before the client starts.
     */
    void skipRepeats(final long seq, final java.util.List<String> lines) {
        repeatsOf = seq;
        repeats.clear();
        repeats.addAll(lines);
        catchUpPending = true; // the first session resumes too
    }

    /** Whether the push is one the file already ends with ({@link #skipRepeats}); each such line stands for one. */
    private boolean repeat(final DirectBuffer buffer, final int offset) throws IOException {
        if (repeatsOf < 0) {
            return false;
        }
        final long seq = buffer.getLong(offset + io.ringfence.sbe.MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (seq != repeatsOf) {
            if (seq > repeatsOf) {
                repeatsOf = -1;
                repeats.clear();
            }
            return false;
        }
        rendered.reset();
        writer.write(buffer, offset, rendered);
        String line = rendered.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        return repeats.remove(line);
    }

    @Override
    public void onPush(final int templateId, final DirectBuffer buffer, final int offset, final int length) {
        if (printed >= limit || stop.isStopped()) {
            return;
        }
        try {
            if (repeat(buffer, offset)) {
                return;
            }
            writer.write(buffer, offset, out);
            // every line, to a file too: a watcher tails it for rare alerts, and a killed subscriber loses none it printed
            out.flush();
        } catch (final IllegalArgumentException e) {
            if (unknown++ == 0) {
                notes.println("ringfence subscribe: skipped a push this version cannot render (" + e.getMessage() + ")");
            }
            return;
        } catch (final IOException e) {
            fail("cannot write the pushes: " + e.getMessage());
            return;
        }
        if (out instanceof PrintStream print && print.checkError()) {
            stop.stop("the output was closed");
            return;
        }
        printed++;
        if (templateId < byTemplate.length) {
            byTemplate[templateId]++;
        }
        if (printed == limit) {
            if (catchUpPending) {
                countReached = true; // the pushes of a catch-up come before the CatchUp that says if any were lost: wait for it
            } else {
                stop.stop("--count " + limit + " reached");
            }
        }
    }

    @Override
    public void onLogon(final LogonAckDecoder ack) {
        if (loggedOn) {
            notes.println("ringfence subscribe: logged on again; subscriptions sent again, resuming after the last push printed");
            catchUpPending = true;
        }
        loggedOn = true;
        printedAtLogon = printed;
    }

    /**
     * Says what the server caught up after a reconnect or after this session fell behind (a burst filled the server's
     * buffer for it: an unasked CatchUp, resumeAfterSeq 0), and loudly what it could not.
     */
    @Override
    public void onCatchUp(final CatchUpDecoder catchUp) {
        if (catchUp.resumeAfterSeq() <= 0) {
            overflows++;
            printedAtLogon = printed; // what comes from here until the complete CatchUp is caught up
            catchUpPending = true;
            notes.printf("ringfence subscribe: fell behind at engine sequence %,d (a burst of pushes filled the server's buffer"
                + " for this session); catching up from the server's history%n", catchUp.throughSeq() + 1);
            return;
        }
        if (catchUp.heldAfterSeq() >= catchUp.resumeAfterSeq()) {
            gaps++;
            notes.printf("ringfence subscribe: WARNING: pushes from engine sequence %,d (those not yet printed) up to %,d may have been"
                + " made while away and were no longer held by the server (gateway.pushHistoryBytes): those of these subscriptions"
                + " among them are lost here; `replay --data DIR --from TIME --to TIME` renders them from the journal"
                + " (`journal --data DIR --from SEQ --limit 1` gives a sequence's time)%n",
                catchUp.resumeAfterSeq(), catchUp.heldAfterSeq());
        }
        if (catchUp.complete() == 1) {
            final long made = printed - printedAtLogon;
            caughtUpTotal += made;
            printedAtLogon = printed; // counted: a later complete CatchUp of this session counts from here
            notes.printf("ringfence subscribe: caught up on %,d push%s made while away; live after engine sequence %,d%n",
                made, made == 1 ? "" : "es", catchUp.throughSeq());
        }
        catchUpPending = false;
        if (countReached) {
            stop.stop("--count " + limit + " reached");
        }
    }

    /**
     * A subscriber sends no events, so a Reject is about its subscriptions or its session. One with
     * {@code seq} -1 is the gateway closing the session: {@link #onDisconnect} follows and tells
     * whether the client reconnects. Any other is the engine refusing a subscription: a failure.
     */
    @Override
    public void onReject(final RejectDecoder reject) {
        final long seq = reject.seq();
        final String text = codeName(reject.codeRaw()) + ": " + reject.reason();
        if (seq == SESSION_REJECT_SEQ) {
            sessionReject = text;
        } else {
            fail("the server refused a subscription: " + text);
        }
    }

    @Override
    public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
        if (reason == ClientDisconnectReason.CLOSED) {
            return;
        }
        if (!loggedOn) {
            sessionReject = null;
            return; // a first logon that failed: the command reports it, and may log on again with a new client
        }
        disconnects++;
        final String why = sessionReject != null ? "the server refused: " + sessionReject : reason + ": " + detail;
        sessionReject = null;
        if (!reconnecting) {
            fail(why);
        }
        // a loss the client recovers from is logged by the client itself (ClientAgent, WARN)
    }

    /** The reason of a failure (exit 1), or null. */
    String failure() {
        return failure;
    }

    long printed() {
        return printed;
    }

    long disconnects() {
        return disconnects;
    }

    /** Times the session fell behind and was caught up instead of dropped. */
    long overflows() {
        return overflows;
    }

    /** Pushes caught up after reconnects, falling behind and --resume, not counting the repeats of what the file already held. */
    long caughtUpTotal() {
        return caughtUpTotal;
    }

    /** Resumes after which pushes were lost (no longer held by the server). */
    long gaps() {
        return gaps;
    }

    /** E.g. {@code "3 pushes (orderStatusPush 2, fraudAlert 1)"}. */
    String counts() {
        final StringBuilder sb = new StringBuilder(String.format("%,d push%s", printed, printed == 1 ? "" : "es"));
        String separator = " (";
        for (final int template : PUSH_TEMPLATES) {
            final long n = byTemplate[template];
            if (n > 0) {
                sb.append(separator).append(jsonType(template)).append(' ').append(String.format("%,d", n));
                separator = ", ";
            }
        }
        if (!" (".equals(separator)) {
            sb.append(')');
        }
        if (unknown > 0) {
            sb.append(String.format(", %,d of unknown types skipped", unknown));
        }
        return sb.toString();
    }

    private void fail(final String why) {
        if (failure == null) {
            failure = why;
        }
        stop.stop(why);
    }

    private static String jsonType(final int template) {
        switch (template) {
            case OrderStatusPushDecoder.TEMPLATE_ID: return "orderStatusPush";
            case StockPushDecoder.TEMPLATE_ID: return "stockPush";
            case FraudAlertDecoder.TEMPLATE_ID: return "fraudAlert";
            case WindowResultDecoder.TEMPLATE_ID: return "windowResult";
            case AnomalyAlertDecoder.TEMPLATE_ID: return "anomalyAlert";
            case TrendingPushDecoder.TEMPLATE_ID: return "trendingPush";
            default: return "template " + template;
        }
    }

    /** The code's name; a newer server's code this version does not know as its number. */
    private static String codeName(final int raw) {
        for (final RejectCode code : RejectCode.values()) {
            if (code.value() == raw && code != RejectCode.NULL_VAL) {
                return code.name();
            }
        }
        return "reject code " + raw;
    }
}
