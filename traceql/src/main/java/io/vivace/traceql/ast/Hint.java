package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * One {@code name = value} pair of a {@code with(...)} clause.
 *
 * @param name a plain identifier (case-sensitive)
 * @param value a literal (not nil)
 */
public record Hint(String name, Static value) implements Node {
    /** Checks that no component is null. */
    public Hint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
