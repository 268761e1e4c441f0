package io.ringfence.tools.examples;

import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every configuration the README points users at, under examples/, loads and validates as it is shipped. */
class ExampleConfigsTest {
    @Test
    void everyExampleConfigurationValidates() throws IOException {
        final List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("..", "examples"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("window-rules.yaml")), files.toString());
        for (final Path file : files) {
            assertDoesNotThrow(() -> EngineConfigLoader.loadValidated(file), file.toString());
        }
    }
}
