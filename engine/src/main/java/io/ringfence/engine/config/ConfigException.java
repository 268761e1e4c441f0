package io.ringfence.engine.config;

/**
 * A configuration value that cannot be used. The message names the field (as a path such as
 * {@code windows[0].size}), the value and what is wrong with it.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The field path, or null when the message is all there is. */
    private final String field;

    /**
     * @param value the refused value, or null when the field is absent or not of the right shape:
     *              the message is then the field and the problem ({@code windows[0].name is required})
     */
    public ConfigException(final String field, final Object value, final String problem) {
        super(value == null ? field + " " + problem : field + ": '" + value + "' " + problem);
        this.field = field;
    }

    public ConfigException(final String message) {
        super(message);
        this.field = null;
    }

    /** The path of the refused field ({@code windows[0].size}), or null. */
    public String field() {
        return field;
    }
}
