package io.ringfence.engine.fraud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model file: round trip, the id over the weights, and a refusal naming the field for every kind of bad file. */
class ModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final List<ModelTerm> TERMS = List.of(
        new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 8.25, 1.5, 0.75),
        new ModelTerm(Feature.USER_FAIL_RATIO, FeatureTransform.IDENTITY, 0.05, 0.1, 1.25),
        new ModelTerm(Feature.SECONDS_SINCE_SIGNUP, FeatureTransform.LOG1P, 13.9, 2.4, -1.37),
        new ModelTerm(Feature.USER_COUNTRY_CHANGE, FeatureTransform.IDENTITY, 0.0123456789012345, 0.333, 0.1 + 0.2));

    private static LogisticModel model() {
        return ModelFile.model(-0.41, 6.0, TERMS);
    }

    private Path good() throws IOException {
        final Path p = dir.resolve("model.json");
        final Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "journal-2023-11");
        training.put("rows", 12_345);
        ModelFile.write(p, model(), training);
        return p;
    }

    /** The good file changed by {@code edit}, written to bad.json; returns the refusal's message. */
    private String refusal(final Consumer<ObjectNode> edit) throws IOException {
        final ObjectNode root = (ObjectNode) JSON.readTree(good().toFile());
        edit.accept(root);
        final Path bad = dir.resolve("bad.json");
        Files.writeString(bad, JSON.writeValueAsString(root));
        return refusal(bad);
    }

    private static String refusal(final Path file) {
        final String m = assertThrows(ModelFile.ModelFileException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(m.startsWith(file.toString() + ": "), "names the file: " + m);
        return m;
    }

    private static ObjectNode term(final ObjectNode root, final int i) {
        return (ObjectNode) ((ArrayNode) root.get("terms")).get(i);
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        final LogisticModel written = model();
        final LogisticModel read = ModelFile.read(good());
        assertEquals(written.terms(), read.terms());
        assertEquals(written.id(), read.id());
        assertEquals(-0.41, read.intercept());
        assertEquals(6.0, read.clip());
        // 0.1 + 0.2 = 0.30000000000000004 survives the text form exactly
        assertEquals(0.30000000000000004, read.terms().get(3).weight());
        assertTrue(read.id().matches("lr-[0-9a-f]{12}"), read.id());
        // the same vector scores the same bits
        final FeatureVector v = new FeatureVector();
        v.set(Feature.AMOUNT, 12_000);
        v.set(Feature.USER_FAIL_RATIO, 0.4);
        v.set(Feature.USER_COUNTRY_CHANGE, 1);
        assertEquals(Double.doubleToRawLongBits(written.score(v, new double[Feature.COUNT])),
            Double.doubleToRawLongBits(read.score(v, new double[Feature.COUNT])));
        // and the file says what it is, with the training metadata
        final ObjectNode root = (ObjectNode) JSON.readTree(good().toFile());
        assertEquals(ModelFile.FORMAT, root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        assertEquals("logistic", root.get("type").asText());
        assertEquals("seconds_since_signup", term(root, 2).get("feature").asText());
        assertEquals("log1p", term(root, 2).get("transform").asText());
        assertEquals(12_345, root.get("training").get("rows").asInt());
    }

    @Test
    void shouldChangeTheIdWhenAnyWeightChanges() {
        final String id = model().id();
        assertEquals(id, ModelFile.model(-0.41, 6.0, List.copyOf(TERMS)).id(), "same weights, same id");
        final List<ModelTerm> t = new java.util.ArrayList<>(TERMS);
        final ModelTerm w = t.get(1);
        // one ulp on one weight
        t.set(1, new ModelTerm(w.feature(), w.transform(), w.mean(), w.std(), Math.nextUp(w.weight())));
        assertNotEquals(id, ModelFile.model(-0.41, 6.0, t).id());
        // the intercept, the clip, a mean, a std, a transform, the order of the terms
        assertNotEquals(id, ModelFile.model(-0.42, 6.0, TERMS).id());
        assertNotEquals(id, ModelFile.model(-0.41, 5.0, TERMS).id());
        t.set(1, new ModelTerm(w.feature(), w.transform(), 0.06, w.std(), w.weight()));
        assertNotEquals(id, ModelFile.model(-0.41, 6.0, t).id());
        t.set(1, new ModelTerm(w.feature(), w.transform(), w.mean(), 0.2, w.weight()));
        assertNotEquals(id, ModelFile.model(-0.41, 6.0, t).id());
        t.set(1, new ModelTerm(w.feature(), FeatureTransform.LOG1P, w.mean(), w.std(), w.weight()));
        assertNotEquals(id, ModelFile.model(-0.41, 6.0, t).id());
        assertNotEquals(id, ModelFile.model(-0.41, 6.0, List.of(TERMS.get(1), TERMS.get(0), TERMS.get(2), TERMS.get(3))).id());
    }

    @Test
    void shouldRefuseAnotherFormatVersionOrType() throws IOException {
        String m = refusal(r -> r.put("format", "ringfence-rules"));
        assertTrue(m.contains(": format: must be \"ringfence-fraud-model\""), m);
        m = refusal(r -> r.remove("format"));
        assertTrue(m.contains(": format:"), m);
        m = refusal(r -> r.put("version", 2));
        assertTrue(m.contains(": version: 2 is not supported"), m);
        m = refusal(r -> r.remove("version"));
        assertTrue(m.contains(": version:"), m);
        m = refusal(r -> r.put("type", "gradient-boosting"));
        assertTrue(m.contains(": type: 'gradient-boosting' is not supported"), m);
    }

    @Test
    void shouldRefuseABadTerm() throws IOException {
        String m = refusal(r -> term(r, 1).put("feature", "user_velocity"));
        assertTrue(m.contains(": terms[1].feature: 'user_velocity' is not a feature"), m);
        assertTrue(m.contains("user_orders_1m"), "lists the known features: " + m);
        m = refusal(r -> term(r, 0).remove("feature"));
        assertTrue(m.contains(": terms[0].feature:"), m);
        m = refusal(r -> term(r, 2).put("transform", "sqrt"));
        assertTrue(m.contains(": terms[2].transform: 'sqrt' is not identity or log1p"), m);
        m = refusal(r -> term(r, 0).put("std", 0));
        assertTrue(m.contains(": terms[0].std: must be above 0"), m);
        m = refusal(r -> term(r, 0).put("std", -1.5));
        assertTrue(m.contains(": terms[0].std: must be above 0"), m);
        m = refusal(r -> term(r, 3).remove("weight"));
        assertTrue(m.contains(": terms[3].weight: missing"), m);
        m = refusal(r -> term(r, 1).remove("mean"));
        assertTrue(m.contains(": terms[1].mean: missing"), m);
        m = refusal(r -> r.remove("intercept"));
        assertTrue(m.contains(": intercept: missing"), m);
        m = refusal(r -> r.put("clip", 0));
        assertTrue(m.contains(": clip: must be above 0"), m);
        m = refusal(r -> r.remove("terms"));
        assertTrue(m.contains(": terms: missing"), m);
        m = refusal(r -> ((ArrayNode) r.get("terms")).set(1, JSON.nullNode()));
        assertTrue(m.contains(": terms[1]: must be an object"), m);
    }

    @Test
    void shouldRefuseWeightsWhoseContributionsCouldAddUpToNaN() throws IOException {
        // model trial: weights of 1e308 and -1e308 (finite, id recomputed) made an order with both features high score
        // +inf + -inf = NaN log-odds, read as score 0.0: APPROVE for orders the trained model declined at 0.9999
        final List<ModelTerm> huge = new java.util.ArrayList<>(TERMS);
        huge.set(0, new ModelTerm(TERMS.get(0).feature(), TERMS.get(0).transform(), TERMS.get(0).mean(), TERMS.get(0).std(), 1e308));
        huge.set(1, new ModelTerm(TERMS.get(1).feature(), TERMS.get(1).transform(), TERMS.get(1).mean(), TERMS.get(1).std(), -1e308));
        final String m = refusal(r -> {
            term(r, 0).put("weight", 1e308);
            term(r, 1).put("weight", -1e308);
            r.put("id", ModelFile.idOf(-0.41, 6.0, huge));
        });
        assertTrue(m.contains(": weights too large: |intercept| + clip x the sum of |weight| overflows a double"), m);
        // large but finite in every sum: deterministic scores of 0 or 1, accepted
        huge.set(1, new ModelTerm(TERMS.get(1).feature(), TERMS.get(1).transform(), TERMS.get(1).mean(), TERMS.get(1).std(), -1e300));
        huge.set(0, new ModelTerm(TERMS.get(0).feature(), TERMS.get(0).transform(), TERMS.get(0).mean(), TERMS.get(0).std(), 1e300));
        assertEquals(huge, ModelFile.model(-0.41, 6.0, huge).terms());
        // review: a positive std so small that 1/std is infinite made z = 0 x infinity = NaN for a value at the mean
        final List<ModelTerm> tiny = new java.util.ArrayList<>(TERMS);
        tiny.set(1, new ModelTerm(TERMS.get(1).feature(), TERMS.get(1).transform(), TERMS.get(1).mean(), 1e-310, TERMS.get(1).weight()));
        final String t = refusal(r -> {
            term(r, 1).put("std", 1e-310);
            r.put("id", ModelFile.idOf(-0.41, 6.0, tiny));
        });
        assertTrue(t.contains("std 1.0E-310 is too small to divide by"), t);
    }

    @Test
    void shouldNotAcceptNaNOrInfinityAsAString() throws IOException {
        // Jackson turns the string "NaN" into Double.NaN; the file must still be refused
        String m = refusal(r -> term(r, 0).put("weight", "NaN"));
        assertTrue(m.contains(": terms[0].weight: must be a finite number"), m);
        m = refusal(r -> term(r, 2).put("mean", "-Infinity"));
        assertTrue(m.contains(": terms[2].mean: must be a finite number"), m);
        m = refusal(r -> r.put("intercept", "Infinity"));
        assertTrue(m.contains(": intercept: must be a finite number"), m);
        m = refusal(r -> term(r, 1).put("std", "NaN"));
        assertTrue(m.contains(": terms[1].std: must be a finite number"), m);
        // and the bare token is not JSON at all
        final Path bare = dir.resolve("bare.json");
        Files.writeString(bare, Files.readString(good()).replace("\"weight\" : 0.75", "\"weight\" : NaN"));
        assertTrue(Files.readString(bare).contains("NaN"), "the edit applied");
        m = refusal(bare);
        assertTrue(m.contains("not a model file") && m.contains("NaN"), m);
    }

    @Test
    void shouldRefuseAnIdThatDoesNotMatchTheWeights() throws IOException {
        final String id = model().id();
        // an edited weight, id left alone
        String m = refusal(r -> term(r, 1).put("weight", 2.5));
        assertTrue(m.contains(": id: '" + id + "' does not match the weights (expected lr-"), m);
        // a hand-made id
        m = refusal(r -> r.put("id", "lr-000000000000"));
        assertTrue(m.contains(": id: 'lr-000000000000' does not match"), m);
        m = refusal(r -> r.remove("id"));
        assertTrue(m.contains(": id: 'null' does not match"), m);
        // the id with both the edit and its new id is accepted
        final ObjectNode root = (ObjectNode) JSON.readTree(good().toFile());
        term(root, 1).put("weight", 2.5);
        final List<ModelTerm> t = new java.util.ArrayList<>(TERMS);
        t.set(1, new ModelTerm(Feature.USER_FAIL_RATIO, FeatureTransform.IDENTITY, 0.05, 0.1, 2.5));
        root.put("id", ModelFile.idOf(-0.41, 6.0, t));
        final Path edited = dir.resolve("edited.json");
        Files.writeString(edited, JSON.writeValueAsString(root));
        assertEquals(2.5, ModelFile.read(edited).terms().get(1).weight());
    }

    @Test
    void shouldRefuseUnknownFields() throws IOException {
        String m = refusal(r -> r.put("bias", 0.5));
        assertTrue(m.contains(": bias: not a model file") && m.contains("\"bias\""), m);
        m = refusal(r -> term(r, 0).put("scale", 2));
        assertTrue(m.contains(": terms[0].scale: not a model file") && m.contains("\"scale\""), m);
        assertTrue(!m.contains("not marked as ignorable") && !m.contains("ModelFile$Json"), "no parser internals (trial): " + m);
    }

    @Test
    void shouldRefuseWhatIsNotAModelFile() throws IOException {
        final Path text = dir.resolve("notes.txt");
        Files.writeString(text, "weights: amount 0.75\n");
        String m = refusal(text);
        assertTrue(m.contains("not a model file"), m);
        final Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        m = refusal(empty);
        assertTrue(m.contains("not a model file"), m);
        final Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        m = refusal(array);
        assertTrue(m.contains("not a model file"), m);
        final Path nul = dir.resolve("null.json");
        Files.writeString(nul, "null");
        m = refusal(nul);
        assertTrue(m.contains(": format: must be"), m);
        m = refusal(dir.resolve("missing.json"));
        assertTrue(m.endsWith(": no such model file"), m);
        // a directory is not a file either
        m = refusal(dir);
        assertTrue(m.contains("cannot read model file"), m);
    }

    @Test
    void shouldNameTheFieldOfAValueOfTheWrongType() throws IOException {
        String m = refusal(r -> r.put("version", "two"));
        assertTrue(m.contains(": version: not a model file") && m.contains("two"), m);
        m = refusal(r -> term(r, 0).put("weight", "heavy"));
        assertTrue(m.contains(": terms[0].weight: not a model file") && m.contains("heavy"), m);
        m = refusal(r -> r.put("terms", "amount"));
        assertTrue(m.contains(": terms: not a model file"), m);
    }
}
