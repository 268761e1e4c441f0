package io.ringfence.engine.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads {@link EngineConfig} from YAML: the bundled defaults first, then the user's file over
 * them (sections merge field by field; {@code windows} is replaced whole). Every mistake becomes
 * a {@link ConfigException} that names the file, line, field and problem.
 */
public final class EngineConfigLoader {
    public static final String DEFAULTS_RESOURCE = "/ringfence-defaults.yaml";

    private EngineConfigLoader() {
    }

    /** The defaults alone. */
    public static EngineConfig defaults() {
        try (InputStream in = EngineConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
            }
            return mapper().readValue(in, EngineConfig.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("bundled defaults unreadable", e);
        }
    }

    /**
     * Defaults overridden by {@code file}; a null file means defaults only. Not yet validated. A
     * relative {@code fraud.model} path is taken relative to the file's directory.
     */
    public static EngineConfig load(final Path file) {
        final EngineConfig config = readInto(file, defaults());
        if (file != null && config.fraud != null) {
            config.fraud.resolveModelAgainst(file.toAbsolutePath().getParent());
        }
        return config;
    }

    /**
     * Overrides the fields of {@code target} with what {@code file} says, with the same strictness and
     * messages as the engine's own configuration (unknown fields named with the known ones, wrong
     * types, YAML errors with their line). Other modules read their section of the one
     * configuration file this way (the gateway its {@code gateway:} section, through a wrapper that
     * ignores the other top-level sections). A null or blank file leaves {@code target} as it is.
     */
    public static <T> T readInto(final Path file, final T target) {
        if (file == null) {
            return target;
        }
        final String text;
        try {
            text = Files.readString(file);
        } catch (final NoSuchFileException e) {
            throw new ConfigException(file + ": no such configuration file");
        } catch (final IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage());
        }
        if (text.isBlank() || noContent(text)) {
            return target;
        }
        try {
            return mapper().readerForUpdating(target).readValue(text);
        } catch (final UnrecognizedPropertyException e) {
            final String known = e.getKnownPropertyIds() == null ? "" : " (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(where(file, e) + path(e) + ": unknown field" + known);
        } catch (final InvalidFormatException e) {
            throw new ConfigException(where(file, e) + path(e) + ": '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        } catch (final JsonMappingException e) {
            throw new ConfigException(where(file, e) + path(e) + ": " + e.getOriginalMessage());
        } catch (final JsonProcessingException e) {
            throw new ConfigException(where(file, e) + "not valid YAML: " + e.getOriginalMessage());
        }
    }

    /** A YAML text with nothing in it but comments or document markers (the same as an empty file). */
    private static boolean noContent(final String text) {
        try {
            final com.fasterxml.jackson.databind.JsonNode tree = mapper().readTree(text);
            return tree == null || tree.isMissingNode() || tree.isNull();
        } catch (final JsonProcessingException e) {
            return false; // reported with its line by the binding below
        }
    }

    /** Loads and validates in one step. */
    public static EngineConfig loadValidated(final Path file) {
        final EngineConfig config = load(file);
        try {
            config.validate();
        } catch (final ConfigException e) {
            throw new ConfigException((file == null ? "defaults" : file.toString()) + ": " + e.getMessage());
        }
        return config;
    }

    static ObjectMapper mapper() {
        final ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.setDefaultMergeable(Boolean.TRUE);
        return mapper;
    }

    private static String where(final Path file, final JsonProcessingException e) {
        final JsonLocation loc = e.getLocation();
        return file + (loc == null ? "" : " line " + loc.getLineNr()) + ": ";
    }

    private static String path(final JsonMappingException e) {
        final StringBuilder sb = new StringBuilder();
        for (final JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }
}
