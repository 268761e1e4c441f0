package io.ringfence.tools.snapshot;

import io.ringfence.engine.BusinessSpec;
import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EngineLogic#stateBytesBound()} (what the snapshot agent sizes the first snapshot's buffer
 * from) is an upper bound of the bytes a snapshot of the business state really takes, all along
 * a realistic run (200,000 events of the seeded shop over 20,000 users, default configuration:
 * windows, fraud tables, orders, stock, trending, carts), and not so loose that the buffer wastes
 * much memory.
 */
class StateBytesBoundTest {
    private static final int EVENTS = 200_000;
    private static final int CHECK_EVERY = 20_000;

    @Test
    void shouldBoundTheSnapshotSizeOfARealisticStateFromAboveAndClosely() {
        final EngineLogic logic = checkBound(SnapshotJournals.config(false, 0));
        System.out.printf("bound by stage: windows %d, fraud %d, commerce %d, trending %d, carts %d%n",
            logic.windows().stateBytesBound(), logic.stateBytesBound() - logic.windows().stateBytesBound()
                - logic.commerce().stateBytesBound() - logic.trending().stateBytesBound() - logic.carts().stateBytesBound() - 20,
            logic.commerce().stateBytesBound(), logic.trending().stateBytesBound(), logic.carts().stateBytesBound());
    }

    /** The same with rate windows (subset counters) and anomaly monitors (detectors with scans), examples/rates.yaml. */
    @Test
    void shouldBoundItWithRateWindowsAndAnomalyMonitorsToo() {
        final EngineConfig config = EngineConfigLoader.loadValidated(Path.of("../examples/rates.yaml"));
        assertTrue(!config.anomalies.isEmpty(), "the example watches rates");
        final EngineLogic logic = checkBound(config);
        // per stage too: the fraud tables' slack must not hide a stage that is under its bound
        final StateWriter w = new StateWriter(1 << 20);
        logic.windows().writeState(w);
        assertTrue(logic.windows().stateBytesBound() >= w.position(),
            "windows with subset counters: " + w.position() + " bytes over the bound " + logic.windows().stateBytesBound());
        w.reset();
        logic.anomalies().writeState(w);
        assertTrue(w.position() > 1_000, "the monitors hold series: " + w.position());
        assertTrue(logic.anomalies().stateBytesBound() >= w.position(),
            "anomaly monitors: " + w.position() + " bytes over the bound " + logic.anomalies().stateBytesBound());
    }

    /** The same monitors with {@code forecast: seasonal-mean}: its held values replace the Holt-Winters state in the bound. */
    @Test
    void shouldBoundItWithSeasonalMeanMonitors() {
        checkBoundWithForecast("seasonal-mean");
    }

    /** The same monitors with {@code forecast: blend}: both models' states and the layout tag are in the bound. */
    @Test
    void shouldBoundItWithBlendMonitors() {
        checkBoundWithForecast("blend");
    }

    /** examples/rates.yaml's monitors with {@code forecast} (5 seasons held): the bound holds and is close. */
    private static void checkBoundWithForecast(final String forecast) {
        final EngineConfig config = EngineConfigLoader.loadValidated(Path.of("../examples/rates.yaml"));
        for (final io.ringfence.engine.anomaly.AnomalyMonitorConfig m : config.anomalies) {
            m.detector = (m.detector == null ? new io.ringfence.engine.anomaly.AnomalyConfig() : m.detector).forecast(forecast).seasonWindow(5);
        }
        final EngineLogic logic = checkBound(config);
        final StateWriter w = new StateWriter(1 << 20);
        logic.anomalies().writeState(w);
        assertTrue(w.position() > 1_000, "the monitors hold series: " + w.position());
        assertTrue(logic.anomalies().stateBytesBound() >= w.position(),
            forecast + " monitors: " + w.position() + " bytes over the bound " + logic.anomalies().stateBytesBound());
        assertTrue(logic.anomalies().stateBytesBound() < 2L * w.position(),
            "the bound is close: " + logic.anomalies().stateBytesBound() + " for " + w.position());
    }

    private static EngineLogic checkBound(final EngineConfig config) {
        final List<byte[]> events = SnapshotJournals.events(11, 20_000, EVENTS);
        final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), null);
        final OutputBuffer out = new OutputBuffer(1 << 16);
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        final StateWriter w = new StateWriter(1 << 20);
        double worst = 0;
        final StringBuilder seen = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            final byte[] e = events.get(i);
            view.wrap(e);
            out.reset();
            logic.onEvent(i + 1, SnapshotJournals.START + (i + 1) * SnapshotJournals.INGEST_STEP, view, 0, e.length, out);
            if ((i + 1) % CHECK_EVERY == 0) {
                final long bound = logic.stateBytesBound();
                w.reset();
                logic.writeState(w);
                final int actual = w.position();
                seen.append(String.format(" %d: %d <= %d;", i + 1, actual, bound));
                assertTrue(bound >= actual, "after " + (i + 1) + " events the state takes " + actual + " bytes, over the bound " + bound);
                worst = Math.max(worst, (double) bound / actual);
            }
        }
        System.out.printf("state bytes (actual <= bound) every %d events:%s worst ratio %.2f%n", CHECK_EVERY, seen, worst);
        assertTrue(worst < 2.0, "the bound is at most twice the state: " + worst + seen);
        return logic;
    }
}
