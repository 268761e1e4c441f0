package io.ringfence.engine.config;

import io.ringfence.engine.pipeline.Layout;
import io.ringfence.engine.pipeline.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PipelineCpusConfigTest {
    @TempDir
    Path dir;

    private EngineConfig load(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return EngineConfigLoader.load(p);
    }

    private String error(final String yaml) throws IOException {
        final EngineConfig c = load(yaml);
        return assertThrows(ConfigException.class, () -> c.pipeline.topology(2)).getMessage();
    }

    @Test
    void shouldPinNothingByDefault() {
        assertEquals(Map.of(), EngineConfigLoader.defaults().pipeline.topology(16).cpus());
    }

    @Test
    void shouldReadAutoAThreadMapAndAList() throws IOException {
        assertEquals(Map.of("rf-engine", 1), load("pipeline:\n  cpus: auto\n").pipeline.topology(2).cpus());
        assertEquals(Map.of("rf-engine", 0), load("pipeline:\n  cpus: {rf-engine: 0}\n").pipeline.topology(2).cpus());
        final Topology t = load("pipeline:\n  layout: dedicated\n  cpus: [3, 2, 1]\n").pipeline.topology(4);
        assertEquals(Layout.DEDICATED, t.layout());
        assertEquals(3, t.cpuOf("rf-journal"));
        assertEquals(1, t.cpuOf("rf-dispatch"));
    }

    @Test
    void shouldNameFieldValueAndReasonOfBadCpus() throws IOException {
        assertEquals("pipeline.cpus: 'sometimes' is not none, auto, {thread: cpu, ...} or [cpu, ...]",
                error("pipeline:\n  cpus: sometimes\n"));
        assertEquals("pipeline.cpus.rf-engine: '-1' is not a cpu number (0, 1, ...)",
                error("pipeline:\n  cpus: {rf-engine: -1}\n"));
        assertEquals("pipeline.cpus[0]: 'one' is not a cpu number (0, 1, ...)",
                error("pipeline:\n  cpus: [one]\n"));
        assertEquals("pipeline.cpus: '{rf-engine=7}' gives rf-engine cpu 7, but this machine has cpus 0..1",
                error("pipeline:\n  cpus: {rf-engine: 7}\n"));
        assertEquals("pipeline.cpus: '{rf-journal=1}' names thread 'rf-journal', which the combined layout does not have"
                        + " (its threads: rf-engine)",
                error("pipeline:\n  layout: combined\n  cpus: {rf-journal: 1}\n"));
    }
}
