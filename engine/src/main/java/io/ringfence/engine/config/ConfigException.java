package io.ringfence.engine.config;

/**
 * A configuration value that cannot be used. The message names the field (as a path such as
 * {@code windows[0].size}), the value and what is wrong with it.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(final String field, final Object value, final String problem) {
        super(field + ": " + (value == null ? "missing" : "'" + value + "'") + " " + problem);
    }

    public ConfigException(final String message) {
        super(message);
    }
}
