package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The engine configuration a data directory recorded (else the defaults), with stages switched off for a breakdown. */
final class RecordedEngineConfig {
    private RecordedEngineConfig() {
    }

    /** @throws IllegalArgumentException when {@code data} is not a directory */
    static EngineConfig of(final Path data, final boolean noFraud, final boolean noWindows) {
        if (data == null || !Files.isDirectory(data)) {
            throw new PerfArgs.Usage("--data DIR: a data directory with a journal (e.g. from `./ringfence run`)");
        }
        final Path recorded = data.resolve("ringfence-config.yaml");
        final EngineConfig config = EngineConfigLoader.loadValidated(Files.isRegularFile(recorded) ? recorded : null);
        if (noWindows) {
            config.windows = List.of();
        }
        if (noFraud) {
            config.fraud.enabled = false;
        }
        return config;
    }
}
