package io.ringfence.engine.config;

import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.pipeline.WaitKind;

/**
 * The {@code pipeline:} section: ring size, thread layout and wait strategy.
 *
 * <pre>
 * pipeline:
 *   ringSize: 16384        # slots, a power of two
 *   layout: auto           # auto | dedicated | combined
 *   waitStrategy: auto     # auto | blocking | sleeping | yielding | busy-spin
 *   stageTimes: true       # stamp events per stage for the gateway's latency breakdown (metrics only)
 * </pre>
 */
public final class PipelineConfig {
    public int ringSize = 16_384;
    public String layout = "auto";
    public String waitStrategy = "auto";
    public boolean stageTimes = true;

    /** @throws ConfigException naming the bad field */
    public void validate(final String path) {
        if (ringSize < 64 || Integer.bitCount(ringSize) != 1) {
            throw new ConfigException(path + ".ringSize", ringSize, "must be a power of two, at least 64");
        }
        if (ringSize > (1 << 22)) {
            throw new ConfigException(path + ".ringSize", ringSize, "is too large (at most 4194304 slots)");
        }
        layout();
        waitKind();
    }

    public Layout layout() {
        try {
            return Layout.valueOf(layout.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (final RuntimeException e) {
            throw new ConfigException("pipeline.layout", layout, "is not a layout (auto, dedicated, combined)");
        }
    }

    public WaitKind waitKind() {
        try {
            return WaitKind.parse(waitStrategy);
        } catch (final RuntimeException e) {
            throw new ConfigException("pipeline.waitStrategy", waitStrategy,
                    "is not a wait strategy (auto, blocking, sleeping, yielding, busy-spin)");
        }
    }
}
