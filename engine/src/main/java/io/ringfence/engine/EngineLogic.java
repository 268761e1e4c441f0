package io.ringfence.engine;

import io.ringfence.engine.anomaly.AnomalyStage;
import io.ringfence.engine.cart.CartStage;
import io.ringfence.engine.commerce.CommerceStage;
import io.ringfence.engine.decision.DecisionStage;
import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.FraudSnapshot;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.pipeline.BusinessLogic;
import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.trending.TrendingStage;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;

/**
 * The business stage's work, in order: windowed aggregation (DESIGN §5), then fraud scoring
 * (DESIGN §6: causal features, rules, model) and the decision that answers each order and
 * payment, with order lifecycle and stock around it (an order's OVERSELL reason amends its
 * verdict), then the trending lists and cart promotions; anomaly monitors listen to the tumbling
 * windows' closed intervals. Each stage owns its state, all on one thread.
 */
public final class EngineLogic implements BusinessLogic {
    /**
     * The business state's format: "BUSL" since a new sku that finds the trending sku table full takes the place of an
     * entry past its skuTtl that the sweep had not reached (the same bytes, kept under other rules: trial 2026-12-07, such
     * a sku was refused and its views counted under "unknown"); "BUSK" since a sku last told LOW or OUT is kept past its idle time, an anomaly
     * interval's season phase is that of its middle and closed intervals are not idle time (the same bytes, kept under
     * other rules: review 2026-12-07, a BUSJ snapshot restored by the new build answered an order for a sold-out sku
     * without OVERSELL that its own replay flagged); "BUSJ" since an order remembers the last 16 payments added to it, not 4, so a retried
     * notification of an order paid in 5 to 16 parts is not added twice (money trial 2026-12-07; a longer layout); "BUSH"
     * since an overdue or cart deadline passed by an event's own time fires at that
     * event when its timer has not (orders.lateness, carts.lateness, a late event) and a sku with units in a warehouse
     * is not forgotten as idle (the same bytes, kept under other rules: upgrade trial 2026-12-07, a BUSG snapshot
     * restored held a stocked sku forgotten, and the live server's next OVERSELL disagreed with its own replay); "BUSG"
     * since partial refunds are told apart by amount, a reused order id is
     * marked contested and windows key a payment naming no user or card by its order's (the same bytes, kept under
     * other rules: review s42, an old build's snapshot double-counted a retried refund after the upgrade); "BUSF" since an order's or payment's content is remembered by 128 bits of its
     * SHA-256 (a 64-bit hash that a sender could make collide held it before); "BUSE" since the decisions of orders and payments are remembered by id
     * ({@code decisions.repeats}: one sent again is answered with its first decision); "BUSD" since a fraud key idle for {@code idleTtl} is forgotten when it is looked up and
     * idle time is counted from each event's own time, not the newest seen (the same bytes, kept under other rules: a BUSC
     * snapshot restored and replayed could decide otherwise than a replay from the start); "BUSC" since an anomaly interval is closed by the local date of its middle and a log-scale
     * sigma is floored by minRelSigma itself (the same bytes, learned under other rules: a BUSB snapshot with anomaly
     * monitors restored and replayed gave other alerts than a replay from the start, review; without monitors BUSB is the
     * same state and is read as it is); "BUSB" since a trending category keeps whether its counts changed since its list
     * was last examined (a change within minInterval is pushed once the interval is over); "BUSA" since a top-k
     * counter keeps the count it inherited (its
     * {@code overcount} in the window result); "BUS9" since the trending admission state's layout and meaning
     * are those of BUS8's last builds under a marker of their own (BUS8 stood for three layouts in the
     * builds of 2026-12-04: the count of sales since the sketch last halved became the event time of
     * its next halving under the same bytes, so an earlier BUS8 snapshot read back cleanly and gave
     * other trending pushes than a replay); "BUS8" since a trending list's full category admits a new sku
     * that outsells its least one (an admission sketch per list), which leaves its counts to the
     * newcomer as inherited error; "BUS7" since an anomaly detector keeps whether the anomaly in
     * progress is a drop and how many of its intervals were held from learning; "BUS6" since the order book keeps payments that came before their
     * order ({@code orders.earlyPayments}); "BUS5" since each order keeps its amount and currency and
     * what its payments and refunds added up to; "BUS4" since an order adopted from a status is
     * marked until its order event completes it; "BUS3" since the order book counts orders forgotten
     * to make room ({@code orders.whenFull}); "BUS2" added each order's merchant (payments are
     * windowed under their order's merchant) and such windows' counts of payments of unknown
     * merchants. Snapshots of an earlier format are refused with the reason, so start-up replays the
     * journal instead (and an engine of an earlier format refuses this one likewise).
     */
    private static final int MARKER = 0x4255534C; // "BUSL" ("BUSI" was the first format's, before BUS2)
    private static final String WRITES = "this version writes BUSL";
    /** Each earlier format's marker and what it lacks. */
    private static final Map<Integer, String> EARLIER_FORMATS = Map.ofEntries(
            Map.entry(0x4255534B, "before a new sku finding the trending sku table full took the place of an entry past its"
                    + " skuTtl (marker BUSK; " + WRITES + ": its trending skus were kept under the rules before)"),
            Map.entry(0x4255534A, "before a sku last told LOW or OUT was kept past its idle time, an anomaly interval's season"
                    + " phase was that of its middle and closed intervals were not idle time (marker BUSJ; " + WRITES
                    + ": its stock and anomaly monitors were kept under the rules before)"),
            Map.entry(0x42555348, "before an order remembered its last 16 payments, not 4 (marker BUSH; " + WRITES
                    + ": a retried payment of an order paid in 5 or more parts was added again)"),
            Map.entry(0x42555347, "before an event stamped past an overdue or cart deadline fired it when its timer had not,"
                    + " and before a sku with units in a warehouse was kept past its idle time (marker BUSG; " + WRITES
                    + ": its order book, stock and carts were kept under the rules before)"),
            Map.entry(0x42555346, "before partial refunds under one id were told apart by amount, an order id sent for"
                    + " another order was marked contested and windows keyed a payment naming no user or card by its order's"
                    + " (marker BUSF; " + WRITES + ": its order book, decided ids and windows were kept under the rules before)"),
            Map.entry(0x42555345, "before an order's or payment's content was compared by 128 bits of SHA-256 (marker BUSE; "
                    + WRITES + ": its decided ids hold 64-bit digests that a sender could make collide)"),
            Map.entry(0x42555344, "before an order or payment sent again was answered with its first decision (marker BUSD; "
                    + WRITES + ", decisions.repeats: it holds the decided ids)"),
            Map.entry(0x42555343, "before a fraud key idle for idleTtl was forgotten when looked up, idle time counted from"
                    + " each event's own time (marker BUSC; " + WRITES + ": its fraud state was kept under the rules before)"),
            Map.entry(0x42555342, "before a daily anomaly interval was closed by its middle's local date and a"
                    + " log-scale sigma floored by minRelSigma itself (marker BUSB; " + WRITES + ": its monitors learned under the"
                    + " rules before)"),
            Map.entry(0x42555341, "before a trending list that changed within its minInterval was pushed once the interval"
                    + " was over (marker BUSA; " + WRITES + ": such a change waited for the category's next sale or view)"),
            Map.entry(0x42555339, "before top-k counters kept the count they inherited (marker BUS9; " + WRITES
                    + ": window results' top-k entries carry their overcount)"),
            Map.entry(0x42555338, "of the builds of 2026-12-04 whose trending admission state changed layout and meaning under one"
                    + " marker (marker BUS8; " + WRITES + ": one such snapshot read back cleanly and gave other trending"
                    + " pushes than a replay)"),
            Map.entry(0x42555337, "before a full trending category replaced its least sku (marker BUS7; " + WRITES
                    + ", trending maxSkusPerCategory)"),
            Map.entry(0x42555336, "before an anomaly's drop was held from learning (marker BUS6; " + WRITES
                    + ", anomaly holdIntervals)"),
            Map.entry(0x42555335, "before payments that came before their order waited for it (marker BUS5; " + WRITES
                    + ", orders.earlyPayments)"),
            Map.entry(0x42555334, "before orders kept their amount and what their payments added up to (marker BUS4; " + WRITES
                    + ": a partial payment or refund no longer moves an order)"),
            Map.entry(0x42555333, "before an order adopted from a status was completed by its order event (marker BUS3; " + WRITES
                    + ", orders.unknownOrders: adopt)"),
            Map.entry(0x42555332, "before a full order book forgot its oldest order to make room (marker BUS2; " + WRITES
                    + ", orders.whenFull)"),
            Map.entry(0x42555349, "before payments were joined to their orders' merchants (marker BUSI; " + WRITES
                    + "): its orders lack their merchant"));

    private final WindowAggregator windows;
    private final FraudScorer fraud;
    private final DecisionStage decisions;
    private final CommerceStage commerce;
    private final TrendingStage trending;
    private final CartStage carts;
    private final AnomalyStage anomalies;
    private long events;

    /**
     * @param windowSpecs validated windows ({@code EngineConfig.validate()})
     * @param fraudSpec   validated fraud scoring ({@code EngineConfig.fraudSpec()})
     */
    public EngineLogic(final List<WindowSpec> windowSpecs, final FraudSpec fraudSpec) {
        this(windowSpecs, fraudSpec, null);
    }

    /** @param scoreListener sees every scored order and payment ({@code train}, {@code evaluate}, {@code explain}), or null */
    public EngineLogic(final List<WindowSpec> windowSpecs, final FraudSpec fraudSpec, final ScoreListener scoreListener) {
        this(BusinessSpec.of(windowSpecs, fraudSpec), scoreListener);
    }

    /**
     * @param spec          every stage's validated settings ({@link BusinessSpec#of(io.ringfence.engine.config.EngineConfig)})
     * @param scoreListener sees every scored order and payment ({@code train}, {@code evaluate}, {@code explain}), or null
     */
    public EngineLogic(final BusinessSpec spec, final ScoreListener scoreListener) {
        this.windows = new WindowAggregator(spec.windows());
        this.fraud = new FraudScorer(spec.fraud());
        if (!spec.fraud().rules().windowTerms().isEmpty()) {
            fraud.windowTerms(new SlidingWindowTerms(spec.fraud().rules().windowTerms(), windows));
        }
        this.decisions = new DecisionStage(fraud, scoreListener, spec.repeats());
        this.commerce = new CommerceStage(spec.commerce());
        decisions.amendOrdersWith(commerce::amendOrderVerdict);
        windows.joinMerchants(commerce); // a payment's merchant is its order's (read before commerce applies the payment)
        fraud.joinOrdersWith(commerce); // and its user and card, when it names neither (read when it is scored)
        decisions.joinOrdersWith(commerce); // and its decision and alert carry that user
        this.trending = new TrendingStage(spec.trending());
        this.carts = new CartStage(spec.carts());
        this.anomalies = new AnomalyStage(spec.anomalies(), windows);
    }

    @Override
    public void onEvent(final long sequence, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                        final int length, final OutputBuffer out) {
        events++;
        anomalies.begin(); // what a failed event left half-done is dropped, as a snapshot at it would
        // an order or payment sent again is answered with its first decision and counted once (docs/fraud.md)
        final boolean repeat = decisions.checkRepeat(buffer, offset);
        if (!repeat) {
            windows.onEvent(sequence, buffer, offset, out);
        }
        interleaveTimers(sequence, repeat, buffer, offset, out);
        carts.advance(sequence, buffer, offset, out); // promotions due by this event's time leave before its own pushes
        commerce.onEvent(sequence, buffer, offset, repeat, out);
        decisions.onEvent(sequence, ingestTimeMicros, buffer, offset, out);
        if (!repeat) {
            windows.onDecided(sequence, decisions.lastVerdict().outcome()); // count(declined), count(held): this event's verdict
        }
        commerce.afterDecision(sequence, out);
        trending.onEvent(sequence, buffer, offset, commerce.repeatedOrder(), out);
        carts.apply(buffer, offset);
    }

    /**
     * The overdue pushes and cart promotions an event fires, in deadline order across the two stages (ties: the order's
     * first): each stage fires its own in order, and the carts', fired first, came before earlier overdue deadlines
     * (out-of-order trial: 57 events of a sorted generated shop pushed a 10:30:30 promotion before a 10:30:00
     * UNPAID_OVERDUE). What is left once one side has none due is fired by the stages as before.
     */
    private void interleaveTimers(final long sequence, final boolean repeat, final DirectBuffer buffer, final int offset,
                                  final OutputBuffer out) {
        final long time = carts.timeOf(buffer, offset);
        if (time == Long.MIN_VALUE) {
            return;
        }
        long overdue = commerce.nextOverdue(time);
        long abandon = carts.nextAbandon(time);
        if (overdue == Long.MAX_VALUE && abandon == Long.MAX_VALUE) {
            return; // no timer due: what the event itself forces (one stage's) leaves with the event, as ever
        }
        // the deadline the event forces past its time (a payment's or status's overdue, an order's promotion; review:
        // they came after the other stage's timers of the same event whatever their deadlines)
        long forcedOverdue = commerce.forcedOverdue(buffer, offset, repeat);
        long forcedAbandon = carts.forcedAbandon(buffer, offset);
        while (Math.min(overdue, forcedOverdue) != Long.MAX_VALUE && Math.min(abandon, forcedAbandon) != Long.MAX_VALUE) {
            final long o = Math.min(overdue, forcedOverdue);
            final long c = Math.min(abandon, forcedAbandon);
            if (o <= c) {
                if (forcedOverdue <= overdue) {
                    commerce.fireForcedOverdue(sequence, buffer, offset, out);
                    forcedOverdue = Long.MAX_VALUE;
                } else {
                    commerce.fireOverdueThrough(sequence, time, Math.min(c, forcedOverdue), out);
                }
            } else if (forcedAbandon <= abandon) {
                carts.fireForcedAbandon(sequence, buffer, offset, out);
                forcedAbandon = Long.MAX_VALUE;
            } else {
                carts.fireAbandonThrough(sequence, time, Math.min(o - 1, forcedAbandon), out);
            }
            overdue = commerce.nextOverdue(time);
            abandon = carts.nextAbandon(time);
        }
    }

    @Override
    public void onEndOfInput(final long lastSequence, final OutputBuffer out) {
        windows.flush(lastSequence, out);
        // the deadlines orders.lateness and carts.lateness held back for slower sources: a finite input has no more
        // events to wait for (out-of-order trial: with lateness 3h a run lost 2,027 overdue pushes and 145 promotions),
        // in deadline order across the two (review: all overdue pushes came before all promotions)
        long overdue = commerce.nextFlushedOverdue();
        long abandon = carts.nextFlushedAbandon();
        while (overdue != Long.MIN_VALUE && abandon != Long.MIN_VALUE && overdue != Long.MAX_VALUE && abandon != Long.MAX_VALUE) {
            if (overdue <= abandon) {
                commerce.flushOverdueThrough(lastSequence, abandon, out);
            } else {
                carts.flushAbandonThrough(lastSequence, overdue - 1, out);
            }
            overdue = commerce.nextFlushedOverdue();
            abandon = carts.nextFlushedAbandon();
        }
        commerce.flushTimers(lastSequence, out);
        carts.flushTimers(lastSequence, out);
    }

    @Override
    public long stateHash() {
        long h = (windows.stateHash() * 31 + fraud.stateHash()) * 31 + events;
        h = h * 31 + decisions.decided();
        h = h * 31 + decisions.stateHash();
        h = h * 31 + commerce.stateHash();
        h = h * 31 + trending.stateHash();
        h = h * 31 + carts.stateHash();
        return anomalies.isEmpty() ? h : h * 31 + anomalies.stateHash();
    }

    /**
     * An upper bound of {@link #writeState}'s bytes, summed from each stage's table sizes (no
     * walk over the state; a few dozen reads), for the snapshot agent to size buffers ahead.
     */
    @Override
    public long stateBytesBound() {
        long b = 4 + 8 + 8 + decisions.stateBytesBound() + windows.stateBytesBound() + FraudSnapshot.bytesBound(fraud);
        b += commerce.stateBytesBound() + trending.stateBytesBound() + carts.stateBytesBound();
        return anomalies.isEmpty() ? b : b + anomalies.stateBytesBound();
    }

    /**
     * Business state for a snapshot: counters and the decided ids ({@code decisions.repeats}), then the windows (DESIGN §5) and the fraud feature
     * state (DESIGN §6), orders and stock, trending, carts, then the anomaly monitors' series if any are configured,
     * each in a fixed order. Configuration (window definitions, rules, model) is not state; the
     * snapshot's configuration digest stands for it.
     */
    @Override
    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(events).putLong(decisions.decided());
        decisions.writeState(w);
        windows.writeState(w);
        FraudSnapshot.write(fraud, w);
        commerce.writeState(w);
        trending.writeState(w);
        carts.writeState(w);
        if (!anomalies.isEmpty()) {
            anomalies.writeState(w); // only then: snapshots of engines without monitors keep their format
        }
    }

    @Override
    public void readState(final StateReader r) {
        if (events != 0) {
            throw new IllegalStateException("a snapshot is read into a new engine only (this one has seen " + events + " events)");
        }
        final int marker = r.getInt();
        final String earlier = EARLIER_FORMATS.get(marker);
        if (earlier != null) {
            throw new SnapshotFormatException("the snapshot is of the business state format " + earlier
                    + ", so the journal is replayed instead");
        }
        if (marker != MARKER) {
            throw new SnapshotFormatException(String.format("expected the business section (marker 0x%08x) at content offset 0,"
                    + " found 0x%08x", MARKER, marker));
        }
        events = r.getLong();
        decisions.restoreDecided(r.getLong());
        decisions.readState(r);
        windows.readState(r);
        FraudSnapshot.read(fraud, r);
        commerce.readState(r);
        trending.readState(r);
        carts.readState(r);
        if (!anomalies.isEmpty()) {
            anomalies.readState(r); // the configuration digest says whether the snapshot has monitors
        }
    }

    public WindowAggregator windows() {
        return windows;
    }

    /** Order lifecycle and inventory (read it after the pipeline has drained). */
    public CommerceStage commerce() {
        return commerce;
    }

    public TrendingStage trending() {
        return trending;
    }

    public CartStage carts() {
        return carts;
    }

    public AnomalyStage anomalies() {
        return anomalies;
    }

    public FraudScorer fraud() {
        return fraud;
    }

    /** The decision stage: its repeat counters and remembered ids (read it after the pipeline has drained). */
    public DecisionStage decisions() {
        return decisions;
    }

    /** Decisions written (read it after the pipeline has drained). */
    public long decided() {
        return decisions.decided();
    }

    /** Events processed (read it after the pipeline has drained). */
    public long events() {
        return events;
    }
}
