package io.ringfence.gateway.admin;

import io.ringfence.engine.Engine;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import static io.ringfence.gateway.admin.GatewayMetrics.counter;
import static io.ringfence.gateway.admin.GatewayMetrics.gauge;

/**
 * The engine's snapshots and its last start-up on {@code /metrics}: what the {@link SnapshotAgent}
 * counts (volatile fields and atomics its threads keep anyway, read at scrape time) and the
 * {@link Engine.Recovery} facts, fixed once the engine runs. The snapshot series are absent when
 * {@code snapshot.enabled} is false (no agent); the recovery ones are always there. The names are
 * listed in docs/operations.md.
 */
final class SnapshotMetrics {
    private static final double NANOS_PER_SECOND = 1e9;

    private SnapshotMetrics() {
    }

    static void register(final PrometheusRegistry registry, final PrometheusProperties props, final Engine engine) {
        final SnapshotAgent agent = engine.snapshots();
        if (agent != null) {
            counter(registry, props, "ringfence_snapshots_written_total",
                "Snapshots written (forced and renamed into place) since start", agent::written);
            counter(registry, props, "ringfence_snapshot_failures_total",
                "Snapshot writes that failed (logged; the journal still has every event, the next snapshot tries again)",
                agent::failed);
            counter(registry, props, "ringfence_snapshots_late_total",
                "Snapshots written after the event they fell due at, both buffers being busy then (logged)", agent::late);
            counter(registry, props, "ringfence_snapshot_due_points_folded_total",
                "Policy points that fell while a snapshot was still due and were folded into it (snapshots due faster than"
                    + " written; warned once)", agent::foldedDuePoints);
            counter(registry, props, "ringfence_snapshot_written_bytes_total",
                "Content bytes of the snapshots written since start", agent::bytesWritten);
            gauge(registry, props, "ringfence_snapshot_last_sequence",
                "Engine sequence the last snapshot written covers (-1: none written since start)", agent::lastSequence);
            gauge(registry, props, "ringfence_snapshot_last_bytes", "Content bytes of the last snapshot written", agent::lastBytes);
            final long restored = engine.recovery().snapshotLoaded() ? engine.recovery().snapshotSequence() : -1;
            // metrics audit: an alert on engine - last_sequence fired after every restart (-1 until the next snapshot)
            gauge(registry, props, "ringfence_snapshot_newest_sequence",
                "Engine sequence the newest snapshot a restart could start from covers: the last written since start, else"
                    + " the one restored at start (-1: none); engine_sequence minus this is what a restart now replays",
                () -> Math.max(agent.lastSequence(), restored));
            GaugeWithCallback.builder(props)
                .name("ringfence_snapshot_pause_last_seconds")
                .help("How long the last snapshot held an engine thread (the replica's with snapshot.writer: replica): "
                    + "the business stage writing its state, the dispatch stage adding the output side's")
                .labelNames("stage")
                .callback(cb -> {
                    cb.call(agent.lastBusinessPauseNanos() / NANOS_PER_SECOND, "business");
                    cb.call(agent.lastOutputPauseNanos() / NANOS_PER_SECOND, "dispatch");
                })
                .register(registry);
            GaugeWithCallback.builder(props)
                .name("ringfence_snapshot_pause_max_seconds")
                .help("The longest a snapshot held an engine thread since start, by stage")
                .labelNames("stage")
                .callback(cb -> {
                    cb.call(agent.maxBusinessPauseNanos() / NANOS_PER_SECOND, "business");
                    cb.call(agent.maxOutputPauseNanos() / NANOS_PER_SECOND, "dispatch");
                })
                .register(registry);
            counter(registry, props, "ringfence_snapshot_buffer_grown_on_engine_total",
                "Snapshots whose buffer still had to grow on an engine thread (a longer pause; logged)", agent::grownOnEngine);
            counter(registry, props, "ringfence_snapshot_buffer_grown_ahead_total",
                "Times the snapshot thread swapped a larger buffer in ahead of a snapshot", agent::grownAhead);
            gauge(registry, props, "ringfence_snapshot_buffer_ready_bytes",
                "Capacity of the buffer the next snapshot takes (0 while both are being written)", agent::readyBytes);
            gauge(registry, props, "ringfence_snapshot_state_bound_bytes",
                "The business state's size bound last published by the business stage", agent::businessBytesBound);
            if (engine.snapshotReplicaLag() >= 0) {
                gauge(registry, props, "ringfence_snapshot_replica_lag_events",
                    "Journaled events the snapshot replica (snapshot.writer: replica) has yet to apply", engine::snapshotReplicaLag);
                gauge(registry, props, "ringfence_snapshot_replica_failed",
                    "1 when the snapshot replica has stopped on an error (logged): the engine goes on, no snapshots until a restart",
                    () -> engine.snapshotReplicaFailure() == null ? 0 : 1);
            }
        }

        final Engine.Recovery recovery = engine.recovery();
        gauge(registry, props, "ringfence_recovery_snapshot_loaded",
            "1 when the last start restored a snapshot, 0 when it replayed the whole journal", () -> recovery.snapshotLoaded() ? 1 : 0);
        gauge(registry, props, "ringfence_recovery_snapshot_sequence",
            "Engine sequence the snapshot restored at the last start covers (0: none)", recovery::snapshotSequence);
        gauge(registry, props, "ringfence_recovery_snapshots_skipped",
            "Newer snapshots the last start passed over (damaged, another configuration or model, beyond the journal)",
            recovery::snapshotsSkipped);
        gauge(registry, props, "ringfence_recovery_events_replayed",
            "Journal events the last start ran through the state after the snapshot", recovery::eventsReplayed);
        GaugeWithCallback.builder(props).name("ringfence_recovery_seconds")
            .help("How long the last start took from opening the journal to the live pipeline")
            .callback(cb -> cb.call(recovery.nanos() / NANOS_PER_SECOND))
            .register(registry);
    }
}
