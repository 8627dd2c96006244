package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * An intrinsic field such as {@code duration} or {@code trace:id}. Scoped and unscoped spellings
 * of the same field ({@code span:duration} and {@code duration}) are the same node.
 *
 * @param intrinsic the field
 */
public record IntrinsicField(Intrinsic intrinsic) implements FieldReference {
    /** Checks the intrinsic is not null. */
    public IntrinsicField {
        Objects.requireNonNull(intrinsic, "intrinsic");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
