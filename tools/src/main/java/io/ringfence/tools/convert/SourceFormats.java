package io.ringfence.tools.convert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The source formats {@code convert --format} knows. To add one, implement
 * {@link SourceConverter} and add one line here (and its policy to {@link ConvertCommand}'s help).
 */
public final class SourceFormats {
    private static final Map<String, Supplier<SourceConverter>> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put(OnlineRetailConverter.NAME, OnlineRetailConverter::new);
        FORMATS.put(FraudEcommerceConverter.NAME, FraudEcommerceConverter::new);
        FORMATS.put(PaySimConverter.NAME, PaySimConverter::new);
    }

    private SourceFormats() {
    }

    /** A fresh converter for {@code name}, or empty when the format is unknown. */
    public static Optional<SourceConverter> create(final String name) {
        final Supplier<SourceConverter> factory = FORMATS.get(name);
        return factory == null ? Optional.empty() : Optional.of(factory.get());
    }

    /** Known format names, in registration order. */
    public static java.util.List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(FORMATS.keySet()));
    }

    /** For picocli's {@code ${COMPLETION-CANDIDATES}} in the help text. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
