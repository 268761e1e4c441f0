package io.ringfence.engine;

import io.ringfence.engine.commerce.CommerceStage;
import io.ringfence.engine.commerce.CommerceSpec;
import io.ringfence.engine.decision.DecisionStage;
import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.FraudSnapshot;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.pipeline.BusinessLogic;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowSpec;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The business stage's work, in order: windowed aggregation (DESIGN §5), then fraud scoring
 * (DESIGN §6: causal features, rules, model) and the decision that answers each order and
 * payment. Inventory and push rules join here as they are built; each owns its state, all on one
 * thread.
 */
public final class EngineLogic implements BusinessLogic {
    private static final int MARKER = 0x42555349; // "BUSI"

    private final WindowAggregator windows;
    private final FraudScorer fraud;
    private final DecisionStage decisions;
    private final CommerceStage commerce;
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
        this(windowSpecs, fraudSpec, scoreListener, CommerceSpec.defaults());
    }

    /** @param commerceSpec validated order lifecycle and inventory ({@code EngineConfig.commerceSpec()}) */
    public EngineLogic(final List<WindowSpec> windowSpecs, final FraudSpec fraudSpec, final ScoreListener scoreListener,
                       final CommerceSpec commerceSpec) {
        this.windows = new WindowAggregator(windowSpecs);
        this.fraud = new FraudScorer(fraudSpec);
        this.decisions = new DecisionStage(fraud, scoreListener);
        this.commerce = new CommerceStage(commerceSpec);
        decisions.amendOrdersWith(commerce::amendOrderVerdict);
    }

    @Override
    public void onEvent(final long sequence, final long ingestTimeMicros, final DirectBuffer buffer, final int offset,
                        final int length, final OutputBuffer out) {
        events++;
        windows.onEvent(sequence, buffer, offset, out);
        commerce.onEvent(sequence, buffer, offset, out);
        decisions.onEvent(sequence, ingestTimeMicros, buffer, offset, out);
        commerce.afterDecision(sequence, out);
    }

    @Override
    public void onEndOfInput(final long lastSequence, final OutputBuffer out) {
        windows.flush(lastSequence, out);
    }

    @Override
    public long stateHash() {
        return ((windows.stateHash() * 31 + fraud.stateHash()) * 31 + events) * 31 + commerce.stateHash();
    }

    /**
     * Business state for a snapshot: counters, then the windows (DESIGN §5) and the fraud feature
     * state (DESIGN §6), each in a fixed order. Configuration (window definitions, rules, model) is
     * not state; the snapshot's configuration digest stands for it.
     */
    @Override
    public void writeState(final StateWriter w) {
        w.putInt(MARKER).putLong(events).putLong(decisions.decided());
        windows.writeState(w);
        FraudSnapshot.write(fraud, w);
        commerce.writeState(w);
    }

    @Override
    public void readState(final StateReader r) {
        if (events != 0) {
            throw new IllegalStateException("a snapshot is read into a new engine only (this one has seen " + events + " events)");
        }
        r.expect(MARKER, "business");
        events = r.getLong();
        decisions.restoreDecided(r.getLong());
        windows.readState(r);
        FraudSnapshot.read(fraud, r);
        commerce.readState(r);
    }

    public WindowAggregator windows() {
        return windows;
    }

    /** Order lifecycle and inventory (read it after the pipeline has drained). */
    public CommerceStage commerce() {
        return commerce;
    }

    public FraudScorer fraud() {
        return fraud;
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
