package io.ringfence.tools.server;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's start-up line says what it recovered (snapshot, journal events replayed, time), as DESIGN §7 asks. */
class ServerRecoveryBannerTest {
    @TempDir
    Path dir;

    @Test
    void namesTheSnapshotAndTheEventsReplayed() {
        final Path data = dir.resolve("data");
        assertEquals(0, ringfence("run", "--input", "../examples/shop.jsonl", "--data", data.toString(),
                "--out", dir.resolve("out.jsonl").toString()).exitCode());
        final String first;
        final long journaled;
        try (EngineGateway gateway = start(data)) {
            first = ServerCommand.recovery(gateway);
            journaled = gateway.engine().pipeline().lastSequence();
            assertTrue(journaled > 0, "the run journaled events");
        }
        assertTrue(first.matches("recovered in [0-9,]+ ms: no snapshot, then " + String.format("%,d", journaled)
                + " journal events replayed"), first);

        try (EngineGateway gateway = start(data)) {
            final String second = ServerCommand.recovery(gateway);
            assertTrue(second.matches("recovered in [0-9,]+ ms: snapshot at sequence " + String.format("%,d", journaled)
                    + ", then 0 journal events replayed"), "the clean shutdown wrote a snapshot: " + second);
        }
    }

    @Test
    void anEmptyDataDirectoryHasNothingToRecover() {
        try (EngineGateway gateway = start(dir.resolve("fresh"))) {
            assertEquals("empty journal, nothing to recover", ServerCommand.recovery(gateway));
            assertEquals("rules only (no fraud.model)", ServerCommand.scoring(gateway.engine().logic().fraud()),
                "model trial: nothing said which model a server scored with");
        }
        final io.ringfence.engine.fraud.LogisticModel model = io.ringfence.engine.fraud.ModelFile.model(-2.0, 6.0, java.util.List.of(
            new io.ringfence.engine.fraud.ModelTerm(io.ringfence.engine.fraud.Feature.AMOUNT,
                io.ringfence.engine.fraud.FeatureTransform.LOG1P, 8.0, 1.5, 0.9)));
        final io.ringfence.engine.fraud.FraudScorer withModel = new io.ringfence.engine.fraud.FraudScorer(
            io.ringfence.engine.config.EngineConfigLoader.defaults().fraudSpec().withModel(model));
        assertEquals("model " + model.id() + " and the rules", ServerCommand.scoring(withModel));
    }

    @Test
    void autoRunsInlineOnTwoCoresOrFewerAndKeepsWhatIsConfigured() {
        final EngineConfig two = new EngineConfig();
        ServerCommand.autoForSharedCores(two, 2);
        assertEquals("inline", two.pipeline.layout);
        assertEquals("blocking", two.pipeline.waitStrategy);
        assertEquals(io.ringfence.engine.pipeline.Layout.INLINE, two.pipeline.topology(2).layout());
        final EngineConfig sixteen = new EngineConfig();
        ServerCommand.autoForSharedCores(sixteen, 16);
        assertEquals("auto", sixteen.pipeline.layout, "more cores: auto resolves as everywhere (dedicated)");
        assertEquals("auto", sixteen.pipeline.waitStrategy, "more cores: auto resolves as everywhere (yielding)");
        final EngineConfig configured = new EngineConfig();
        configured.pipeline.layout = "combined";
        configured.pipeline.waitStrategy = "yielding";
        ServerCommand.autoForSharedCores(configured, 2);
        assertEquals("combined", configured.pipeline.layout, "a configured layout is kept");
        assertEquals("yielding", configured.pipeline.waitStrategy, "a configured strategy is kept");
        final EngineConfig combinedAuto = new EngineConfig();
        combinedAuto.pipeline.layout = "combined";
        ServerCommand.autoForSharedCores(combinedAuto, 2);
        assertEquals("blocking", combinedAuto.pipeline.waitStrategy, "a stage thread on shared cores waits blocking");
        final EngineConfig pinned = new EngineConfig();
        pinned.pipeline.cpus = java.util.Map.of("rf-engine", 1);
        ServerCommand.autoForSharedCores(pinned, 2);
        assertEquals("auto", pinned.pipeline.layout, "a plan pinning rf-engine keeps the layout that has it (review)");
        assertEquals(io.ringfence.engine.pipeline.Layout.COMBINED, pinned.pipeline.topology(2).layout());
        final EngineConfig autoPinned = new EngineConfig();
        autoPinned.pipeline.cpus = "auto";
        ServerCommand.autoForSharedCores(autoPinned, 2);
        assertEquals("inline", autoPinned.pipeline.layout, "cpus: auto pins what the layout has: nothing inline");
        final EngineConfig queues = new EngineConfig();
        queues.pipeline.queue = "array-blocking-queue";
        ServerCommand.autoForSharedCores(queues, 2);
        assertEquals("auto", queues.pipeline.layout, "queues have no inline form: auto stays (combined here)");
        queues.pipeline.validate("pipeline");
    }

    /** Trial: a server configured with another roll cycle recorded it, and every later command warned it was ignored. */
    @Test
    void recordsTheRollCycleTheJournalKeeps() {
        final Path data = dir.resolve("data");
        assertEquals(0, ringfence("run", "--input", "../examples/shop.jsonl", "--data", data.toString(),
                "--out", dir.resolve("out.jsonl").toString()).exitCode());
        final EngineConfig hourly = new EngineConfig();
        hourly.journal.rollCycle = "HOURLY";
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.admin.enabled = false;
        try (EngineGateway gateway = EngineGateway.start(hourly, gatewayConfig, data, new SbeEventValidator(hourly.input.maxEventBytes))) {
            ServerCommand.record(data, hourly, gateway, gateway.engine().pipeline().lastSequence(),
                    io.ringfence.tools.io.RecordedConfig.Origin.UNKNOWN);
        }
        assertEquals("FAST_DAILY", io.ringfence.tools.io.RecordedConfig.load(data, null, false).journal.rollCycle);
    }

    private static EngineGateway start(final Path data) {
        final EngineConfig config = new EngineConfig();
        final GatewayConfig gateway = new GatewayConfig();
        gateway.admin.enabled = false;
        return EngineGateway.start(config, gateway, data, new SbeEventValidator(config.input.maxEventBytes));
    }
}
