package io.ringfence.tools.fraud;

import picocli.CommandLine;

/** A share given as a fraction ({@code 0.3}) or a percentage ({@code 30%}), as {@code --until 70%} takes one. */
final class Fraction implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(final String value) {
        final String text = value.trim();
        try {
            return text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                    : Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a share (0.3 or 30%)");
        }
    }
}
