package io.ringfence.tools.convert;

import java.util.function.Consumer;

/**
 * A {@link SourceConverter} that skips bad rows instead of failing: it keeps its format name,
 * default input and the sink {@code convert} gives for the skipped rows' reports, and hands each
 * conversion a fresh {@link BadRows} that counts and reports them.
 */
abstract class RowSkippingConverter implements SourceConverter {
    private final String name;
    private final String defaultInput;
    private Consumer<String> warnings = message -> { };

    RowSkippingConverter(final String name, final String defaultInput) {
        this.name = name;
        this.defaultInput = defaultInput;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String defaultInput() {
        return defaultInput;
    }

    @Override
    public final void reportTo(final Consumer<String> sink) {
        this.warnings = sink;
    }

    /** The bad-row tally of one conversion of {@code source}, reporting to the sink set by {@link #reportTo}. */
    final BadRows badRows(final String source) {
        return new BadRows(source, warnings);
    }
}
