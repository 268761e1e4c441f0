package io.ringfence.engine.fraud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned JSON file a fraud model lives in ({@code ringfence train} writes it, the engine
 * reads it through {@code fraud.model}). Weights are stored by feature name, so a file stays
 * valid when features are appended. Format version 1:
 *
 * <pre>
 * {
 *   "format": "ringfence-fraud-model", "version": 1, "type": "logistic",
 *   "id": "lr-3f2a9c0b41de",              // sha-256 of intercept, clip and terms, first 12 hex
 *   "intercept": -0.41, "clip": 6.0,
 *   "terms": [ {"feature": "seconds_since_signup", "transform": "log1p",
 *               "mean": 13.9, "std": 2.4, "weight": -1.37}, ... ],
 *   "training": { ... }                   // free-form: data, selection, counts, settings
 * }
 * </pre>
 *
 * A file that does not verify (unknown feature, bad number, wrong format or version, an id that
 * does not match its weights) is refused with a message naming the file and field.
 */
public final class ModelFile {
    public static final String FORMAT = "ringfence-fraud-model";
    public static final int VERSION = 1;
    public static final String TYPE_LOGISTIC = "logistic";

    private ModelFile() {
    }

    /** The JSON shape, bound by Jackson. */
    @JsonPropertyOrder({"format", "version", "type", "id", "intercept", "clip", "terms", "training"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Json {
        public String format;
        public Integer version;
        public String type;
        public String id;
        public Double intercept;
        public Double clip;
        public List<TermJson> terms;
        public Map<String, Object> training;
    }

    /** One entry of {@code terms}. */
    @JsonPropertyOrder({"feature", "transform", "mean", "std", "weight"})
    public static final class TermJson {
        public String feature;
        public String transform;
        public Double mean;
        public Double std;
        public Double weight;
    }

    /** Reads and verifies a model file. */
    public static LogisticModel read(final Path file) {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            throw new ModelFileException(file + ": no such model file");
        } catch (final IOException e) {
            throw new ModelFileException(file + ": cannot read model file: " + e.getMessage());
        }
        final Json json;
        try {
            json = mapper().readValue(bytes, Json.class);
        } catch (final com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            // not Jackson's "(class ...ModelFile$Json), not marked as ignorable" (trial: an events file given as --model)
            throw new ModelFileException(file + ": " + fieldOf(e) + "not a model file: it has a field \"" + e.getPropertyName() + "\""
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ", which a model file (\"format\": \""
                    + FORMAT + "\", written by `ringfence train`) does not have");
        } catch (final JsonProcessingException e) {
            throw new ModelFileException(file + ": " + fieldOf(e) + "not a model file (" + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ")");
        } catch (final IOException e) {
            throw new ModelFileException(file + ": cannot read model file: " + e.getMessage());
        }
        return fromJson(file.toString(), json);
    }

    /** Verifies a bound file ({@code where} names it in messages). */
    public static LogisticModel fromJson(final String where, final Json json) {
        if (json == null || !FORMAT.equals(json.format)) {
            throw new ModelFileException(where + ": format: must be \"" + FORMAT + "\"");
        }
        if (json.version == null || json.version != VERSION) {
            throw new ModelFileException(where + ": version: " + json.version + " is not supported (this engine reads version "
                    + VERSION + ")");
        }
        if (!TYPE_LOGISTIC.equals(json.type)) {
            throw new ModelFileException(where + ": type: '" + json.type + "' is not supported (only \"" + TYPE_LOGISTIC + "\")");
        }
        final double intercept = finite(where, "intercept", json.intercept);
        final double clip = finite(where, "clip", json.clip);
        if (!(clip > 0)) {
            throw new ModelFileException(where + ": clip: must be above 0");
        }
        if (json.terms == null) {
            throw new ModelFileException(where + ": terms: missing");
        }
        final List<ModelTerm> terms = new ArrayList<>();
        for (int i = 0; i < json.terms.size(); i++) {
            final String field = "terms[" + i + "]";
            final TermJson t = json.terms.get(i);
            if (t == null) {
                throw new ModelFileException(where + ": " + field + ": must be an object");
            }
            final Feature f = t.feature == null ? null : Feature.byName(t.feature);
            if (f == null) {
                throw new ModelFileException(where + ": " + field + ".feature: '" + t.feature + "' is not a feature (known: "
                        + Feature.names() + ")");
            }
            final FeatureTransform transform = FeatureTransform.byText(t.transform);
            if (transform == null) {
                throw new ModelFileException(where + ": " + field + ".transform: '" + t.transform + "' is not identity or log1p");
            }
            final double std = finite(where, field + ".std", t.std);
            if (!(std > 0)) {
                throw new ModelFileException(where + ": " + field + ".std: must be above 0");
            }
            terms.add(new ModelTerm(f, transform, finite(where, field + ".mean", t.mean), std,
                    finite(where, field + ".weight", t.weight)));
        }
        final String expected = idOf(intercept, clip, terms);
        if (json.id == null || !json.id.equals(expected)) {
            throw new ModelFileException(where + ": id: '" + json.id + "' does not match the weights (expected " + expected
                    + "): the file was edited or damaged");
        }
        try {
            return new LogisticModel(expected, intercept, clip, terms);
        } catch (final IllegalArgumentException e) {
            throw new ModelFileException(where + ": " + e.getMessage());
        }
    }

    /** The file form of a model, with free-form training metadata. */
    public static Json toJson(final LogisticModel model, final Map<String, Object> training) {
        final String expected = idOf(model.intercept(), model.clip(), model.terms());
        if (!expected.equals(model.id())) {
            throw new IllegalArgumentException("model id '" + model.id() + "' is not the id of its weights (" + expected
                    + "); build models with ModelFile.model(...)");
        }
        final Json json = new Json();
        json.format = FORMAT;
        json.version = VERSION;
        json.type = TYPE_LOGISTIC;
        json.id = model.id();
        json.intercept = model.intercept();
        json.clip = model.clip();
        json.terms = new ArrayList<>();
        for (final ModelTerm t : model.terms()) {
            final TermJson tj = new TermJson();
            tj.feature = t.feature().featureName();
            tj.transform = t.transform().text();
            tj.mean = t.mean();
            tj.std = t.std();
            tj.weight = t.weight();
            json.terms.add(tj);
        }
        json.training = training == null ? null : new LinkedHashMap<>(training);
        return json;
    }

    /** Writes a model file (pretty-printed JSON, stable field order). */
    public static void write(final Path file, final LogisticModel model, final Map<String, Object> training) throws IOException {
        final byte[] bytes = mapper().writeValueAsBytes(toJson(model, training));
        Files.write(file, bytes);
    }

    /** A model with its id computed from its weights. */
    public static LogisticModel model(final double intercept, final double clip, final List<ModelTerm> terms) {
        return new LogisticModel(idOf(intercept, clip, terms), intercept, clip, terms);
    }

    /**
     * {@code lr-} and the first 12 hex digits of the SHA-256 of the weights in a canonical text form
     * (Java's shortest round-trip decimal of every number), so the id changes when any weight does.
     */
    public static String idOf(final double intercept, final double clip, final List<ModelTerm> terms) {
        final StringBuilder sb = new StringBuilder().append(intercept).append('|').append(clip);
        for (final ModelTerm t : terms) {
            sb.append('|').append(t.feature().featureName()).append(',').append(t.transform().text()).append(',')
                    .append(t.mean()).append(',').append(t.std()).append(',').append(t.weight());
        }
        try {
            final byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return "lr-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code terms[0].weight: } for a value Jackson could not bind, empty for a syntax error. */
    private static String fieldOf(final JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return "";
        }
        final StringBuilder sb = new StringBuilder();
        for (final JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "" : sb + ": ";
    }

    private static double finite(final String where, final String field, final Double v) {
        if (v == null) {
            throw new ModelFileException(where + ": " + field + ": missing");
        }
        if (!Double.isFinite(v)) {
            throw new ModelFileException(where + ": " + field + ": must be a finite number");
        }
        return v;
    }

    private static ObjectMapper mapper() {
        final ObjectMapper m = new ObjectMapper();
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        return m;
    }

    /** A model file that cannot be used; the message names the file, field and problem. */
    public static final class ModelFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ModelFileException(final String message) {
            super(message);
        }
    }
}
