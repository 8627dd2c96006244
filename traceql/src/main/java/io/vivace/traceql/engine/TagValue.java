package io.vivace.traceql.engine;

import java.util.Objects;
import java.util.Set;

/**
 * A typed tag value as {@code /api/v2/search/tag/{name}/values} returns it.
 *
 * @param type {@code string}, {@code int}, {@code float}, {@code bool}, {@code duration} or {@code keyword}
 * @param value the value rendered as a string
 */
public record TagValue(String type, String value) {
    /** The type vocabulary of api.md §3.12. */
    public static final Set<String> TYPES = Set.of("string", "int", "float", "bool", "duration", "keyword");

    /** Checks the type. */
    public TagValue {
        Objects.requireNonNull(value, "value");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type: " + type + " (expected: one of " + TYPES + ")");
        }
    }

    /** A string value. */
    public static TagValue string(String value) {
        return new TagValue("string", value);
    }
}
