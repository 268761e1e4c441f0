package io.ringfence.tools.run;

import io.ringfence.engine.Engine;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.WindowResultDecoder;

/** The closing summary lines of {@code run} and {@code replay}. */
public final class Summaries {
    private Summaries() {
    }

    /**
     * "APPROVE 1,816, REVIEW 109, DECLINE 146": decisions by outcome as every summary says them (demo, load, run, replay).
     */
    public static String outcomes(final java.util.function.ToLongFunction<io.ringfence.sbe.Outcome> count) {
        final StringBuilder sb = new StringBuilder();
        for (final io.ringfence.sbe.Outcome outcome : io.ringfence.sbe.Outcome.values()) {
            if (outcome != io.ringfence.sbe.Outcome.NULL_VAL) {
                sb.append(sb.length() == 0 ? "" : ", ").append(outcome.name()).append(String.format(" %,d", count.applyAsLong(outcome)));
            }
        }
        return sb.toString();
    }

    /** Outputs by type and decisions by outcome, as written (a replay of several configurations' ranges has no one engine). */
    public static String outputs(final OutputCounts sink) {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("  outputs: %,d (windowResult %,d, decision %,d, fraudAlert %,d, reject %,d", sink.written(),
                sink.count(WindowResultDecoder.TEMPLATE_ID), sink.count(DecisionDecoder.TEMPLATE_ID),
                sink.count(io.ringfence.sbe.FraudAlertDecoder.TEMPLATE_ID), sink.count(RejectDecoder.TEMPLATE_ID)));
        // the pushes too, so that the parts add up to the total
        sb.append(String.format(", orderStatusPush %,d, stockPush %,d, trendingPush %,d, anomalyAlert %,d)%n",
                sink.count(io.ringfence.sbe.OrderStatusPushDecoder.TEMPLATE_ID), sink.count(io.ringfence.sbe.StockPushDecoder.TEMPLATE_ID),
                sink.count(io.ringfence.sbe.TrendingPushDecoder.TEMPLATE_ID), sink.count(io.ringfence.sbe.AnomalyAlertDecoder.TEMPLATE_ID)));
        if (sink.count(DecisionDecoder.TEMPLATE_ID) > 0) {
            sb.append(String.format("  decisions: %,d (%s)%n", sink.count(DecisionDecoder.TEMPLATE_ID), outcomes(sink::decisions)));
        }
        return sb.toString();
    }

    /** Outputs by type, decisions by outcome, per-window late and dropped counts, rate and topology. */
    public static String engine(final Engine engine, final OutputCounts sink, final long events, final long nanos) {
        final StringBuilder sb = new StringBuilder(outputs(sink));
        final WindowAggregator windows = engine.logic().windows();
        for (final WindowSpec spec : windows.specs()) {
            sb.append(String.format("  window %s (%s): %,d late events, %,d keys dropped, %,d keys live", spec.name(),
                    spec.kind().name().toLowerCase(java.util.Locale.ROOT), windows.lateCount(spec.name()),
                    windows.keysDropped(spec.name()), windows.liveKeys(spec.name())));
            if (spec.joinsMerchant()) {
                sb.append(String.format(", %,d payments of unknown merchant (their order not held by the orders stage, or held without a merchant)", windows.unknownMerchants(spec.name())));
            }
            sb.append(System.lineSeparator());
        }
        for (final io.ringfence.engine.anomaly.AnomalyMonitor m : engine.logic().anomalies().monitors()) {
            sb.append(String.format("  anomaly monitor %s (window %s): %,d series tracked, %,d key intervals refused (maxSeries %,d), %,d series"
                    + " evicted idle, %,d alerts%n", m.spec().name(), m.spec().window().name(), m.series(), m.seriesDropped(),
                    m.spec().maxSeries(), m.seriesEvicted(), m.alerts()));
        }
        if (engine.logic().fraud().enabled()) {
            final io.ringfence.engine.fraud.FraudFeatures fraud = engine.logic().fraud().features();
            sb.append(String.format("  fraud: %,d decisions, %,d of them scored out of time order (a key of theirs had seen a later"
                    + " event: features of arrival order, docs/fraud.md \"Features\"); %,d keys evicted idle, %,d to make room%n",
                    engine.logic().decided(), fraud.scoredOutOfOrder(), fraud.evictedIdle(), fraud.evictedFull()));
        }
        final io.ringfence.engine.decision.DecisionStage decisions = engine.logic().decisions();
        if (decisions.repeats() + decisions.reusedIds() > 0) {
            sb.append(String.format("  repeats: %,d orders and payments sent again answered with their first decision (REPEATED_ID,"
                    + " not counted again), %,d ids decided before for other content decided again (ID_REUSED); %,d decided ids"
                    + " forgotten to make room (decisions.maxRemembered %,d)%n", decisions.repeats(), decisions.reusedIds(),
                    decisions.repeatIdsForgottenForRoom(), decisions.maxRemembered()));
        }
        final io.ringfence.engine.trending.TrendingStage trending = engine.logic().trending();
        final io.ringfence.engine.cart.CartStage carts = engine.logic().carts();
        sb.append(String.format("  trending: %,d lists pushed; %,d sales and %,d views late (their interval had left the window:"
                + " not counted, trending has no lateness); sales %,d skus live, %,d replaced a full category's least (maxSkusPerCategory),"
                + " %,d sales of skus not admitted, %,d events of a category beyond maxCategories dropped; views %,d skus live,"
                + " %,d replaced, %,d not admitted, %,d dropped; sku categories for views: %,d learned, %,d not (trending.maxSkus);"
                + " carts: %,d promotions, %,d open, %,d dropped, %,d skus beyond maxItemsPerCart, %,d adds after their user's"
                + " later order%n", trending.pushes(), trending.counter("sales", "late"), trending.counter("views", "late"),
                trending.counter("sales", "liveSkus"), trending.counter("sales", "replacedSkus"), trending.counter("sales", "refusedSkus"),
                trending.counter("sales", "droppedCategories"), trending.counter("views", "liveSkus"),
                trending.counter("views", "replacedSkus"), trending.counter("views", "refusedSkus"), trending.counter("views", "droppedCategories"),
                trending.counter("skus", "live"), trending.counter("skus", "dropped"),
                carts.pushes(), carts.openCarts(), carts.cartsDropped(), carts.itemsDropped(), carts.addsBeforeOrder()));
        final io.ringfence.engine.commerce.CommerceStage commerce = engine.logic().commerce();
        final String byCode = sink.engineRejects(engine.logic().commerce().rejects());
        sb.append(String.format("  orders: %,d orderStatusPush, %,d stockPush, %,d status rejects%s, %,d oversold orders, %,d repeated"
                + " (an orderId already held: ignored; a repeat the decisions answered is counted under repeats); %,d orders and %,d skus held (%,d / %,d forgotten, %,d orders forgotten"
                + " early to make room, %,d / %,d over the cap); inventory events ignored: %,d of a warehouse beyond 8 per sku,"
                + " %,d stale (a delta stamped before its warehouse's last LEVEL count, a LEVEL before an event already applied)%n",
                commerce.orderStatusPushes(), commerce.stockPushes(), commerce.rejects(), byCode.isEmpty() ? "" : " (" + byCode + ")",
                commerce.oversells(),
                commerce.duplicateOrders(), commerce.openOrders(), commerce.trackedSkus(), commerce.ordersEvicted(), commerce.skusEvicted(),
                commerce.ordersForgottenForRoom(), commerce.ordersDropped(), commerce.skusDropped(),
                commerce.warehousesDropped(), commerce.staleInventory()));
        sb.append(String.format("  payments: of held orders not moving them: %,d partial, %,d partial refunds, %,d in another currency"
                + " than their order's, %,d repeated (a paymentId already added or waiting, past the decisions' repeats); before their order: %,d applied when it came,"
                + " %,d waiting, %,d pushed out for room (orders.maxEarlyPayments, 8 per order), %,d without an order in time"
                + " (orders.earlyPayments)%n",
                commerce.partialPayments(), commerce.partialRefunds(), commerce.otherCurrencyPayments(), commerce.repeatedPayments(),
                commerce.earlyPaymentsApplied(), commerce.earlyPaymentsWaiting(), commerce.earlyPaymentsPushedOut(),
                commerce.paymentsWithoutOrder()));
        if (engine.pipeline().businessErrors() > 0) {
            sb.append(String.format("  business errors: %,d events (see the log for each sequence)%n", engine.pipeline().businessErrors()));
        }
        final double seconds = nanos / 1e9;
        sb.append(String.format("  %.2f s, %,.0f events/s; %s%n", seconds, events / Math.max(seconds, 1e-9), engine.pipeline().describeThreads()));
        return sb.toString();
    }
}
