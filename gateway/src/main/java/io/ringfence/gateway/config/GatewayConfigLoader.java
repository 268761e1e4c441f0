package io.ringfence.gateway.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfigLoader;

import java.nio.file.Path;

/**
 * Reads the {@code gateway:} section of the one ringfence configuration file (the engine reads the
 * rest and ignores this section), over the defaults of {@link GatewayConfig}, and validates it.
 */
public final class GatewayConfigLoader {
    private GatewayConfigLoader() {
    }

    /** The file's top level as far as the gateway cares: its own section, the rest is the engine's. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class FileView {
        public GatewayConfig gateway = new GatewayConfig();
    }

    /**
     * Defaults overridden by the file's {@code gateway:} section (null file: defaults), parsed only:
     * unknown fields and wrong types are refused, values are not checked.
     */
    public static GatewayConfig load(final Path file) {
        final GatewayConfig config = EngineConfigLoader.readInto(file, new FileView()).gateway;
        if (config == null) {
            throw new ConfigException((file == null ? "defaults" : file.toString()) + ": gateway must be a section");
        }
        return config;
    }

    /** Defaults overridden by the file's {@code gateway:} section (null file: defaults), validated. */
    public static GatewayConfig loadValidated(final Path file) {
        final GatewayConfig config = load(file);
        try {
            config.validate();
        } catch (final ConfigException e) {
            throw new ConfigException(EngineConfigLoader.locate(file, e));
        }
        return config;
    }
}
