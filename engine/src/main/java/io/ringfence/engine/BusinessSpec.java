package io.ringfence.engine;

import io.ringfence.engine.anomaly.AnomalyMonitorSpec;
import io.ringfence.engine.cart.CartSpec;
import io.ringfence.engine.commerce.CommerceSpec;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.decision.RepeatSpec;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.engine.trending.TrendingSpec;
import io.ringfence.engine.window.WindowSpec;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Everything the business stage ({@link EngineLogic}) is built from, validated: one value so that
 * a new stage adds a component here instead of another constructor to every caller.
 *
 * @param windows   windows (DESIGN §5)
 * @param fraud     features, rules and model (DESIGN §6)
 * @param commerce  order lifecycle and inventory
 * @param trending  trending lists per category
 * @param carts     cart-abandonment promotions
 * @param anomalies anomaly monitors on tumbling windows' series (each names one of {@code windows})
 */
public record BusinessSpec(List<WindowSpec> windows, FraudSpec fraud, CommerceSpec commerce, TrendingSpec trending, CartSpec carts,
                           List<AnomalyMonitorSpec> anomalies, RepeatSpec repeats) {

    /**
     * Validates every section of a configuration.
     *
     * @throws io.ringfence.engine.config.ConfigException naming the first bad field
     */
    public static BusinessSpec of(final EngineConfig config) {
        final List<WindowSpec> windows = config.validate();
        if (!config.orders.enabled) {
            for (final WindowSpec w : windows) {
                if (w.joinsMerchant()) { // valid, but probably not meant: say so once, at set-up
                    LoggerFactory.getLogger(BusinessSpec.class).warn("window {} places payments under their order's merchant, but"
                            + " orders.enabled is false: no order is held, so every payment counts as of unknown merchant", w.name());
                }
            }
        }
        return new BusinessSpec(windows, config.fraudSpec(), config.commerceSpec(), config.trendingSpec(), config.cartSpec(), config.anomalySpecs(windows),
                config.repeatSpec());
    }

    /** Windows and fraud as given, every other stage at its defaults (no anomaly monitors). */
    public static BusinessSpec of(final List<WindowSpec> windows, final FraudSpec fraud) {
        return new BusinessSpec(windows, fraud, CommerceSpec.defaults(), TrendingSpec.defaults(), CartSpec.defaults(), List.of(),
                RepeatSpec.defaults());
    }

    /** The same with another fraud specification (e.g. a model given on the command line). */
    public BusinessSpec withFraud(final FraudSpec other) {
        return new BusinessSpec(windows, other, commerce, trending, carts, anomalies, repeats);
    }
}
