package io.ringfence.engine.fraud;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fraud.model}: resolved against the configuration file's directory, verified, or none. */
class FraudModelConfigTest {
    @TempDir
    Path dir;

    private static final LogisticModel MODEL = ModelFile.model(-2.0, 6.0, List.of(
        new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 8.0, 1.5, 0.9),
        new ModelTerm(Feature.NEW_DEVICE_FOR_USER, FeatureTransform.IDENTITY, 0.1, 0.3, 0.4)));

    private Path yaml(final Path where, final String text) throws IOException {
        Files.createDirectories(where);
        final Path p = where.resolve("c.yaml");
        Files.writeString(p, text);
        return p;
    }

    /** The config file's path relative to the working directory (whatever it is: surefire's module dir). */
    private static Path relativeToWorkingDirectory(final Path file) {
        final Path cwd = Path.of("").toAbsolutePath();
        final Path rel = cwd.relativize(file.toAbsolutePath());
        assertFalse(rel.isAbsolute());
        assertFalse(Files.exists(Path.of("m.json")), "no m.json in the working directory to pick up by mistake");
        return rel;
    }

    @Test
    void shouldResolveARelativeModelPathAgainstTheConfigFilesDirectory() throws IOException {
        ModelFile.write(dir.resolve("m.json"), MODEL, null);
        final Path config = yaml(dir, "fraud:\n  model: m.json\n");
        final EngineConfig c = EngineConfigLoader.loadValidated(relativeToWorkingDirectory(config));
        assertEquals(dir.toAbsolutePath().resolve("m.json").normalize().toString(), c.fraud.model);
        final FraudSpec spec = c.fraudSpec();
        assertTrue(spec.model().present());
        assertEquals(MODEL.id(), spec.model().id());
        assertEquals(MODEL.terms(), ((LogisticModel) spec.model()).terms());
        // and the scorer built from the spec uses it
        assertSame(spec.model(), new FraudScorer(spec).model());
    }

    @Test
    void shouldResolveSubdirectoriesAndParentsAndKeepAbsolutePaths() throws IOException {
        ModelFile.write(Files.createDirectories(dir.resolve("models")).resolve("m.json"), MODEL, null);
        // conf/c.yaml names ../models/m.json
        final Path conf = yaml(dir.resolve("conf"), "fraud:\n  model: ../models/m.json\n");
        assertEquals(MODEL.id(), EngineConfigLoader.loadValidated(relativeToWorkingDirectory(conf)).fraudSpec().model().id());
        // c.yaml next to models/ names models/m.json
        final Path top = yaml(dir, "fraud:\n  model: models/m.json\n");
        assertEquals(MODEL.id(), EngineConfigLoader.loadValidated(top).fraudSpec().model().id());
        // an absolute path is used as it is, wherever the config file is
        final Path abs = dir.resolve("models").resolve("m.json").toAbsolutePath();
        final Path elsewhere = yaml(dir.resolve("a").resolve("b"), "fraud:\n  model: " + abs + "\n");
        final EngineConfig c = EngineConfigLoader.loadValidated(elsewhere);
        assertEquals(abs.toString(), c.fraud.model);
        assertEquals(MODEL.id(), c.fraudSpec().model().id());
    }

    @Test
    void shouldRefuseAModelWeighingRiskyItemsUnderAConfigurationWithoutThem() throws IOException {
        // model trial: a PaySim model whose largest weight is risky_items ran under a config without the lists: the
        // feature was 0 on every order, recall at review fell from 1.0 to 0 and a server approved all 33,004 events
        final LogisticModel risky = ModelFile.model(-2.0, 6.0, List.of(
            new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 8.0, 1.5, 0.9),
            new ModelTerm(Feature.RISKY_ITEMS, FeatureTransform.IDENTITY, 0.2, 0.4, 4.55)));
        ModelFile.write(dir.resolve("risky.json"), risky, null);
        final java.nio.file.Path file = yaml(dir, "fraud:\n  model: risky.json\n");
        final EngineConfig without = EngineConfigLoader.loadValidated(file);
        // it loads (a directory recorded with it is re-decided as it was, with a warning); commands deciding anew refuse it
        final String m = assertThrows(ConfigException.class, without::requireModelFeatures).getMessage();
        assertTrue(m.contains("fraud.model") && m.contains("weighs risky_items (weight 4.55 per standard deviation) but"
            + " fraud.riskyItems is empty"), m);
        // analyst trial: the one configuration refusal that named no file or line
        final String located = assertThrows(ConfigException.class, () -> without.requireModelFeatures(file)).getMessage();
        assertTrue(located.startsWith(file + " line 2: fraud.model: '"), located);
        final EngineConfig withLists = EngineConfigLoader.loadValidated(
            yaml(dir, "fraud:\n  model: risky.json\n  riskyItems: {skus: [TRANSFER]}\n"));
        withLists.requireModelFeatures();
        assertEquals(risky.id(), withLists.fraudSpec().model().id(), "with its lists it loads");
        ModelFile.write(dir.resolve("m.json"), MODEL, null);
        EngineConfigLoader.loadValidated(yaml(dir, "fraud:\n  model: m.json\n")).requireModelFeatures(); // no risky_items term
        final EngineConfig off = EngineConfigLoader.loadValidated(yaml(dir, "fraud:\n  enabled: false\n  model: risky.json\n"));
        off.requireModelFeatures(); // fraud off: nothing is scored
    }

    @Test
    void shouldRefuseAMissingModelFileNamingTheField() throws IOException {
        final Path config = yaml(dir, "fraud:\n  model: nowhere.json\n");
        final String m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(config)).getMessage();
        assertTrue(m.contains("fraud.model"), m);
        assertTrue(m.contains(dir.resolve("nowhere.json").toString()), "names the resolved path: " + m);
        assertTrue(m.contains("no such model file"), m);
    }

    @Test
    void shouldRefuseABadModelFileNamingTheFieldAndTheReason() throws IOException {
        ModelFile.write(dir.resolve("m.json"), MODEL, null);
        Files.writeString(dir.resolve("m.json"), Files.readString(dir.resolve("m.json")).replace("\"version\" : 1", "\"version\" : 2"));
        final Path config = yaml(dir, "fraud:\n  model: m.json\n");
        String m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(config)).getMessage();
        assertTrue(m.contains("fraud.model") && m.contains("version: 2 is not supported"), m);

        Files.writeString(dir.resolve("m.json"), "not json");
        m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(config)).getMessage();
        assertTrue(m.contains("fraud.model") && m.contains("not a model file"), m);

        // an edited weight: the id no longer matches
        ModelFile.write(dir.resolve("m.json"), MODEL, null);
        Files.writeString(dir.resolve("m.json"), Files.readString(dir.resolve("m.json")).replace("\"weight\" : 0.9", "\"weight\" : 1.9"));
        m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(config)).getMessage();
        assertTrue(m.contains("fraud.model") && m.contains("id: '" + MODEL.id() + "' does not match"), m);
    }

    @Test
    void shouldHaveNoModelWithoutFraudModel() throws IOException {
        assertSame(FraudModel.NONE, EngineConfigLoader.defaults().fraudSpec().model());
        assertSame(FraudModel.NONE, EngineConfigLoader.loadValidated(yaml(dir, "fraud:\n  reviewAt: 0.5\n")).fraudSpec().model());
        assertSame(FraudModel.NONE, EngineConfigLoader.loadValidated(yaml(dir, "fraud:\n  model: \"\"\n")).fraudSpec().model());
        assertSame(FraudModel.NONE, EngineConfigLoader.loadValidated(yaml(dir, "fraud:\n  model:\n")).fraudSpec().model());
        assertFalse(FraudModel.NONE.present());
        assertEquals("none", FraudModel.NONE.id());
        final double[] c = new double[Feature.COUNT];
        java.util.Arrays.fill(c, 3.0);
        assertEquals(0.0, FraudModel.NONE.score(new FeatureVector(), c));
        for (final double x : c) {
            assertEquals(0.0, x);
        }
    }
}
