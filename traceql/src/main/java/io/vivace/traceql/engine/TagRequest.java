package io.vivace.traceql.engine;

import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.SpansetFilter;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A tag-name or tag-value request to one {@link TraceSource}.
 *
 * @param scopes for tag names: the attribute scopes wanted (never {@link AttributeScope#NONE});
 *     ignored for tag values
 * @param tag for tag values: the attribute or intrinsic whose values are wanted; {@code null} for
 *     tag names
 * @param filter only spans matching this filter count ({@code q=}); {@code null} = every span
 * @param startNanos start of the time range, 0 = unbounded
 * @param endNanos end of the time range, 0 = unbounded
 * @param cancelled polled regularly; when true the source stops and returns
 */
public record TagRequest(Set<AttributeScope> scopes, FieldReference tag, SpansetFilter filter, long startNanos,
        long endNanos, BooleanSupplier cancelled) {
    /** Checks the arguments. */
    public TagRequest {
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(cancelled, "cancelled");
        if (scopes.contains(AttributeScope.NONE)) {
            throw new IllegalArgumentException("scopes: " + scopes + " (expected: concrete scopes, not NONE)");
        }
    }

    /** The fetch request matching this tag request's filter and range. */
    public FetchRequest fetchRequest() {
        return new FetchRequest(filter == null ? TracePredicate.ALL : TracePredicate.of(filter), startNanos, endNanos, cancelled);
    }
}
