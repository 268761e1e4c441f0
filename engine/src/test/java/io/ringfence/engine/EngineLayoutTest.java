package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.pipeline.OutputSink;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the inline layout applies: a live engine's publisher; a replay reads on its own thread and decides on another. */
class EngineLayoutTest {
    @TempDir
    Path dir;

    private static final OutputSink NONE = new OutputSink() {
        @Override
        public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                             final int offset, final int length) {
        }
    };

    @Test
    void aLiveEngineRunsInlineAndAReplayOfItsConfigurationCombined() {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.layout = "inline";
        config.pipeline.waitStrategy = "blocking";
        config.snapshot.enabled = false;
        try (Engine live = Engine.journaled(config, dir, NONE)) {
            assertEquals(Layout.INLINE, live.pipeline().topology().layout());
        }
        try (Engine replay = Engine.replaying(config, 1, NONE)) {
            assertEquals(Layout.COMBINED, replay.pipeline().topology().layout(),
                    "a server records inline in its data directory; replay and explain read that configuration");
        }
    }
}
