package io.ringfence.gateway.admin;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.bridge.DispatchMetrics;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.EngineIngress;
import io.ringfence.gateway.bridge.GatewaySink;
import io.ringfence.gateway.frame.FrameError;
import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.session.SessionState;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.RejectCode;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The engine's and gateway's own metrics, every one a callback read at scrape time on the admin
 * thread from counters the hot path already keeps (atomics, or single-writer fields published
 * with release stores); registering them changes nothing on the I/O or pipeline threads.
 * The names are listed in docs/operations.md.
 */
final class GatewayMetrics {
    /** Reject codes from here on are about sessions and frames (NOT_LOGGED_ON = 20), not input. */
    private static final int FIRST_SESSION_CODE = 20;

    private GatewayMetrics() {
    }

    static void register(final PrometheusRegistry registry, final PrometheusProperties props, final EngineGateway gateway) {
        final Pipeline pipeline = gateway.engine().pipeline();
        final EngineIngress ingress = gateway.ingress();
        final GatewaySink sink = gateway.sink();
        final DispatchMetrics dispatch = sink.metrics();
        final GatewayServer server = gateway.server();
        final GatewayCounters counters = gateway.counters();

        // 1. what comes in
        counter(registry, props, "ringfence_events_in_total",
            "Business events accepted and published to the input ring (each takes an engine sequence)", ingress::published);
        counter(registry, props, "ringfence_resends_total",
            "Messages whose client sequence was already accounted for: answered again, never processed twice", ingress::duplicates);
        CounterWithCallback.builder(props)
            .name("ringfence_rejects_total")
            .help("Business messages answered with a Reject, by code: refused as invalid (answered in engine order), "
                + "SEQUENCE_GAP (refused at the gateway), or journaled order status changes the order book rejects "
                + "(INVALID_TRANSITION, UNKNOWN_ORDER); session-level refusals are ringfence_gateway_* counters")
            .labelNames("code")
            .callback(cb -> {
                for (final RejectCode code : RejectCode.values()) {
                    if (code == RejectCode.NULL_VAL) {
                        continue;
                    }
                    final long count = dispatch.rejects(code) + (code == RejectCode.SEQUENCE_GAP ? ingress.gaps() : 0);
                    // the input codes (below 20), SEQUENCE_GAP and the order-status codes always, from 0; a session-level code only if
                    // a validator used it, so a zero here never hides refusals counted under ringfence_gateway_*
                    if (code.value() < FIRST_SESSION_CODE || code == RejectCode.SEQUENCE_GAP
                        || code == RejectCode.INVALID_TRANSITION || code == RejectCode.UNKNOWN_ORDER || count > 0) {
                        cb.call(count, code.name());
                    }
                }
            })
            .register(registry);

        // 2. what the engine decided and sent
        CounterWithCallback.builder(props)
            .name("ringfence_decisions_total")
            .help("Decisions made since start, by outcome (those rebuilt from the journal at start are not counted)")
            .labelNames("outcome")
            .callback(cb -> {
                for (final Outcome outcome : Outcome.values()) {
                    if (outcome != Outcome.NULL_VAL) {
                        cb.call(dispatch.decisions(outcome), outcome.name());
                    }
                }
            })
            .register(registry);
        counter(registry, props, "ringfence_answers_sent_total",
            "Answers of the engine (Decision, Ack or Reject of a message that reached it) queued for the sender's live session;"
                + " the gateway's own refusals of a session's numbering (DUPLICATE, SEQUENCE_GAP) are not counted here", sink::answersSent);
        counter(registry, props, "ringfence_answers_unrouted_total",
            "Answers whose sender had no live session (kept for a resend)", sink::answersUnrouted);
        counter(registry, props, "ringfence_answers_repeated_total",
            "Resends answered again, byte for byte, from the engine's record of the client's answers", sink::reanswered);
        counter(registry, props, "ringfence_resend_conflicts_total",
            "Messages refused (DUPLICATE) because another message was journaled under their client sequence", sink::resendConflicts);
        counter(registry, props, "ringfence_pushes_sent_total", "Pushes queued for subscribed sessions", sink::pushesSent);
        gauge(registry, props, "ringfence_subscriptions", "Subscriptions held, over all sessions", sink::subscriptionCount);
        gauge(registry, props, "ringfence_push_history_pushes", "Pushes held to catch returning subscribers up (gateway.pushHistoryBytes)",
            sink::pushesHeld);
        gauge(registry, props, "ringfence_push_history_bytes", "Bytes the push history may hold now: gateway.pushHistoryBytes, or more"
                + " (up to pushHistoryMaxBytes) while one event's pushes or a subscriber being caught up need it",
            sink::pushHistoryCapacity);
        counter(registry, props, "ringfence_pushes_caught_up_total", "Pushes sent from the history to subscribers catching up after they came back (from the position each asked for:"
                + " one asked for again is counted again)",
            sink::pushesCaughtUp);
        counter(registry, props, "ringfence_catchup_gaps_total",
            "Resumes from a position the push history no longer reached back to: pushes lost to that subscriber", sink::catchUpGaps);
        counter(registry, props, "ringfence_overflow_catchups_total",
            "Subscribers whose buffer a burst of pushes filled, kept and sent to a catch-up from the history (onOverflow CATCH_UP)"
                + " instead of being dropped as slow consumers", sink::overflowCatchUps);
        registry.register(new AnswerLatencyCollector(dispatch));

        // 3. the pipeline
        gauge(registry, props, "ringfence_ring_occupancy", "Input ring slots published but not yet dispatched",
            pipeline::ringOccupancy);
        gauge(registry, props, "ringfence_ring_size", "Input ring size in slots", pipeline::ringSize);
        gauge(registry, props, "ringfence_engine_sequence", "Engine sequence of the last event published",
            pipeline::lastSequence);
        final io.ringfence.journal.Journal journal = gateway.engine().journal();
        gauge(registry, props, "ringfence_journal_disk_free_bytes", "Free bytes of the journal's file system as the writer's disk"
            + " guard last read them (every 100 ms); -1 when unknown or journal.minFreeMiB is 0", journal::diskFreeBytes);
        gauge(registry, props, "ringfence_journal_disk_reserve_bytes", "journal.minFreeMiB in bytes: at this much free space appends"
            + " are refused and the server stops", journal::diskReserveBytes);
        counter(registry, props, "ringfence_journal_archived_files_total", "Journal cycle files moved to journal.archive (older than"
            + " the oldest snapshot kept)", journal::archivedFiles);
        counter(registry, props, "ringfence_journal_archive_failures_total", "Archiving passes that failed (the archive directory"
            + " missing, not writable or full, or holding another journal's file): the data directory keeps those files",
            journal::archiveFailures);
        gauge(registry, props, "ringfence_journal_sealed_sequence", "The last journal sequence sealed in journal-seals.txt"
            + " (journal.sealEvery); -1 when the journal is not sealed. Well behind ringfence_engine_sequence for long: sealing"
            + " stopped", journal::sealedThrough);
        counter(registry, props, "ringfence_journal_seal_failures_total", "Sealing passes that failed (a record that does not"
            + " read, journal-seals.txt not writable): the events after the last seal stay unsealed until one succeeds",
            journal::sealFailures);
        final io.ringfence.gateway.bridge.AnswerLog answers = gateway.answerLog();
        if (answers != null) {
            counter(registry, props, "ringfence_answers_kept_total", "Answers kept in the answers log (DATA/answers,"
                + " journal.keepAnswers) since the start: each Decision, and each Reject of a journaled event, as given",
                answers::kept);
            counter(registry, props, "ringfence_answers_log_failures_total", "Answers that could not be kept in the answers log"
                + " (a full disk: journal.minFreeMiB); each was sent all the same. Above 0: the log misses answers", answers::failures);
        }
        final io.ringfence.engine.fraud.FraudFeatures fraud = gateway.engine().logic().fraud().features();
        counter(registry, props, "ringfence_fraud_scored_out_of_order_total",
            "Orders and payments scored while a key of theirs had already seen a later-timed event: their features are"
                + " of arrival order (events replayed at start included)", fraud::scoredOutOfOrder);
        final io.ringfence.engine.commerce.CommerceStage commerce = gateway.engine().logic().commerce();
        CounterWithCallback.builder(props)
            .name("ringfence_order_payments_total")
            .help("Payments of orders that did not move their order as sent, by why (partial, partial_refund, other_currency,"
                + " repeated: docs/orders.md \"Lifecycle\"), and payments that came before their order (early_applied: applied"
                + " when it came; early_pushed_out: pushed out for room; without_order: no order came within orders.earlyPayments);"
                + " state counters, events replayed at"
                + " start included")
            .labelNames("kind")
            .callback(cb -> {
                cb.call(commerce.partialPayments(), "partial");
                cb.call(commerce.partialRefunds(), "partial_refund");
                cb.call(commerce.otherCurrencyPayments(), "other_currency");
                cb.call(commerce.repeatedPayments(), "repeated");
                cb.call(commerce.earlyPaymentsApplied(), "early_applied");
                cb.call(commerce.earlyPaymentsPushedOut(), "early_pushed_out");
                cb.call(commerce.paymentsWithoutOrder(), "without_order");
            })
            .register(registry);
        CounterWithCallback.builder(props)
            .name("ringfence_inventory_ignored_total")
            .help("Inventory events ignored, by why: warehouse_cap (a 9th warehouse of a sku), stale (a delta stamped before its"
                + " warehouse's last LEVEL count, or a LEVEL stamped before an event already applied); state counters, events"
                + " replayed at start included")
            .labelNames("reason")
            .callback(cb -> {
                cb.call(commerce.warehousesDropped(), "warehouse_cap");
                cb.call(commerce.staleInventory(), "stale");
            })
            .register(registry);
        gauge(registry, props, "ringfence_early_payments_waiting", "Payments waiting for their order (orders.earlyPayments)",
            commerce::earlyPaymentsWaiting);
        final io.ringfence.engine.trending.TrendingStage trending = gateway.engine().logic().trending();
        final io.ringfence.engine.cart.CartStage carts = gateway.engine().logic().carts();
        final io.ringfence.engine.fraud.FraudFeatures features = gateway.engine().logic().fraud().features();
        final io.ringfence.engine.decision.DecisionStage decisions = gateway.engine().logic().decisions();
        CounterWithCallback.builder(props)
            .name("ringfence_decisions_repeated_total")
            .help("Orders and payments sent again under a decided id (decisions.repeats, docs/fraud.md \"Repeated orders and"
                + " payments\"): repeated = answered with the first decision, not counted again; id_reused = the id was decided"
                + " for other content, decided again (reason ID_REUSED); state counters, events replayed at start included")
            .labelNames("kind")
            .callback(cb -> {
                cb.call(decisions.repeats(), "repeated");
                cb.call(decisions.reusedIds(), "id_reused");
            })
            .register(registry);
        CounterWithCallback.builder(props)
            .name("ringfence_trending_late_total")
            .help("Sales and views not counted by trending because their interval had already left the sliding window"
                + " (trending has no lateness; out-of-order trial: 9,628 of 19,959 orders of a shuffled feed went uncounted"
                + " without a word); state counters, events replayed at start included")
            .labelNames("board")
            .callback(cb -> {
                cb.call(trending.counter("sales", "late"), "sales");
                cb.call(trending.counter("views", "late"), "views");
            })
            .register(registry);
        CounterWithCallback.builder(props)
            .name("ringfence_state_full_total")
            .help("Entries a bounded business table pushed out or refused because it was at its cap, by table and what"
                + " happened (docs/operations.md \"Operations\": a rising count means the cap is below the traffic's working set);"
                + " state counters, events replayed at start included")
            .labelNames("table", "action")
            .callback(cb -> {
                for (final String table : io.ringfence.engine.fraud.FraudFeatures.TABLES) {
                    cb.call(features.evictedFull(table), "fraud_" + table, "replaced");
                }
                cb.call(commerce.ordersForgottenForRoom(), "orders", "forgotten");
                cb.call(commerce.ordersDropped(), "orders", "refused");
                cb.call(commerce.skusDropped(), "stock_skus", "refused");
                cb.call(trending.counter("sales", "replacedSkus"), "trending_sales_skus", "replaced");
                cb.call(trending.counter("sales", "refusedSkus"), "trending_sales_skus", "refused");
                cb.call(trending.counter("sales", "droppedCategories"), "trending_sales_categories", "refused");
                cb.call(trending.counter("views", "replacedSkus"), "trending_views_skus", "replaced");
                cb.call(trending.counter("views", "refusedSkus"), "trending_views_skus", "refused");
                cb.call(trending.counter("views", "droppedCategories"), "trending_views_categories", "refused");
                cb.call(trending.counter("skus", "dropped"), "trending_sku_categories", "refused");
                cb.call(carts.cartsDropped(), "carts", "refused");
                cb.call(carts.itemsDropped(), "cart_items", "refused");
                cb.call(decisions.repeatIdsForgottenForRoom(), "decided_ids", "forgotten");
            })
            .register(registry);
        GaugeWithCallback.builder(props)
            .name("ringfence_state_entries")
            .help("Live entries of a bounded business table, by table; ringfence_state_capacity is its cap (alert on the ratio"
                + " before ringfence_state_full_total starts counting)")
            .labelNames("table")
            .callback(cb -> {
                for (final String table : io.ringfence.engine.fraud.FraudFeatures.TABLES) {
                    cb.call(features.live(table), "fraud_" + table);
                }
                cb.call(commerce.openOrders(), "orders");
                cb.call(commerce.trackedSkus(), "stock_skus");
                cb.call(carts.openCarts(), "carts");
                cb.call(decisions.rememberedIds(), "decided_ids");
            })
            .register(registry);
        GaugeWithCallback.builder(props)
            .name("ringfence_state_capacity")
            .help("The cap of a bounded business table, by table (fraud.state.max*, orders.maxOrders, inventory.maxSkus,"
                + " carts.maxCarts, decisions.maxRemembered)")
            .labelNames("table")
            .callback(cb -> {
                for (final String table : io.ringfence.engine.fraud.FraudFeatures.TABLES) {
                    cb.call(features.capacity(table), "fraud_" + table);
                }
                cb.call(commerce.maxOrders(), "orders");
                cb.call(commerce.maxSkus(), "stock_skus");
                cb.call(carts.maxCarts(), "carts");
                cb.call(decisions.maxRemembered(), "decided_ids");
            })
            .register(registry);
        final io.ringfence.engine.fraud.FraudScorer scorer = gateway.engine().logic().fraud();
        final String modelLabel = !scorer.enabled() ? "off" : scorer.model().present() ? scorer.model().id() : "none";
        GaugeWithCallback.builder(props)
            .name("ringfence_fraud_model_info")
            .help("1, labelled with the fraud model the engine scores with (its id; none: rules only; off: fraud.enabled false)")
            .labelNames("model")
            .callback(cb -> cb.call(1, modelLabel))
            .register(registry);
        final io.ringfence.engine.window.WindowAggregator windows = gateway.engine().logic().windows();
        CounterWithCallback.builder(props)
            .name("ringfence_window_late_events_total")
            .help("Events too late for a window (after its lateness), by window; state counters, events replayed at start included")
            .labelNames("window")
            .callback(cb -> windows.specs().forEach(w -> cb.call(windows.lateCount(w.name()), w.name())))
            .register(registry);
        CounterWithCallback.builder(props)
            .name("ringfence_window_keys_dropped_total")
            .help("Contributions a window could not count because maxKeys keys were live, by window; state counters")
            .labelNames("window")
            .callback(cb -> windows.specs().forEach(w -> cb.call(windows.keysDropped(w.name()), w.name())))
            .register(registry);
        final java.util.List<io.ringfence.engine.anomaly.AnomalyMonitor> monitors = gateway.engine().logic().anomalies().monitors();
        if (!monitors.isEmpty()) {
            GaugeWithCallback.builder(props)
                .name("ringfence_anomaly_series")
                .help("Series an anomaly monitor tracks, by monitor (at most its maxSeries)")
                .labelNames("monitor")
                .callback(cb -> monitors.forEach(m -> cb.call(m.series(), m.spec().name())))
                .register(registry);
            CounterWithCallback.builder(props)
                .name("ringfence_anomaly_keys_refused_total")
                .help("Intervals of keys an anomaly monitor did not track because maxSeries series were tracked (a key refused for 10"
                    + " intervals counts 10), by monitor: no alert"
                    + " can come for them; state counters")
                .labelNames("monitor")
                .callback(cb -> monitors.forEach(m -> cb.call(m.seriesDropped(), m.spec().name())))
                .register(registry);
            CounterWithCallback.builder(props)
                .name("ringfence_anomaly_alerts_total")
                .help("Anomaly alerts the monitors raised over the journal, by monitor; state counters, events replayed at start"
                    + " included (after a start under changed settings: the whole journal re-decided, not the alerts sent before)")
                .labelNames("monitor")
                .callback(cb -> monitors.forEach(m -> cb.call(m.alerts(), m.spec().name())))
                .register(registry);
        }
        counter(registry, props, "ringfence_business_errors_total",
            "Events whose business processing threw (logged with the sequence; the event got no outputs)",
            pipeline::businessErrors);
        gauge(registry, props, "ringfence_pipeline_failed",
            "1 when the pipeline stopped on a fatal journal or dispatch failure (see /health), else 0",
            () -> pipeline.failure() == null ? 0 : 1);

        // 4. the gateway's sessions and counters
        GaugeWithCallback.builder(props)
            .name("ringfence_sessions")
            .help("Connected sessions, by state (AWAITING_LOGON, ACTIVE)")
            .labelNames("state")
            .callback(cb -> {
                for (final SessionState state : SessionState.values()) {
                    if (state != SessionState.CLOSED) {
                        cb.call(server.sessions(state), state.name());
                    }
                }
            })
            .register(registry);
        gauge(registry, props, "ringfence_sessions_max", "Most sessions at once (gateway.maxSessions)", server::maxSessions);
        GaugeWithCallback.builder(props)
            .name("ringfence_gateway_io_loop_age_seconds")
            .help("Seconds since the gateway I/O thread last came round its loop: under 0.1 s plus scheduling while it runs,"
                + " even with no traffic; a growing value is a stuck thread (it takes no event and answers nothing meanwhile,"
                + " which the answer latency cannot show); /health reports it from 30 s")
            .callback(cb -> cb.call(server.ioLoopAgeNanos() / 1e9))
            .register(registry);
        final Set<GatewayCounter> frameErrors = EnumSet.noneOf(GatewayCounter.class);
        for (final FrameError error : FrameError.values()) {
            frameErrors.add(GatewayCounter.of(error));
        }
        CounterWithCallback.builder(props)
            .name("ringfence_gateway_frame_errors_total")
            .help("Frames refused by the gateway, by reason (the connection is refused or closed)")
            .labelNames("reason")
            .callback(cb -> {
                for (final FrameError error : FrameError.values()) {
                    cb.call(counters.get(GatewayCounter.of(error)), error.name());
                }
            })
            .register(registry);
        for (final GatewayCounter counter : GatewayCounter.values()) {
            if (!frameErrors.contains(counter)) {
                counter(registry, props, "ringfence_gateway_" + counter.label() + "_total",
                    capitalized(counter.description()), () -> counters.get(counter));
            }
        }
    }

    /** A counter read from {@code value} at scrape time (also used by {@link SnapshotMetrics}). */
    static void counter(final PrometheusRegistry registry, final PrometheusProperties props, final String name,
                        final String help, final LongSupplier value) {
        CounterWithCallback.builder(props).name(name).help(help)
            .callback(cb -> cb.call(value.getAsLong()))
            .register(registry);
    }

    /** A gauge read from {@code value} at scrape time (also used by {@link SnapshotMetrics}). */
    static void gauge(final PrometheusRegistry registry, final PrometheusProperties props, final String name,
                      final String help, final LongSupplier value) {
        GaugeWithCallback.builder(props).name(name).help(help)
            .callback(cb -> cb.call(value.getAsLong()))
            .register(registry);
    }

    private static String capitalized(final String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
