package dev.mlops.local.cli;

import dev.mlops.core.Names;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Dataset and model names checked while parsing ({@code converter = NameConverter.Dataset.class}),
 * so a bad name is a usage error before anything starts, with the rule it breaks.
 */
final class NameConverter {

    private NameConverter() {
    }

    /** A dataset name ({@link Names}). */
    static final class Dataset implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return check("dataset", value);
        }
    }

    /** A model name ({@link Names}). */
    static final class Model implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return check("model", value);
        }
    }

    /** A batch job's name ({@link Names}: the same rule). */
    static final class Job implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return check("job", value);
        }
    }

    private static String check(String kind, String value) {
        try {
            return Names.require(kind, value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
