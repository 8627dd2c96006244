package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * An attribute reference such as {@code span.http.method}, {@code .foo} or
 * {@code resource."service name"}. Its type is only known per span.
 *
 * @param scope where the attribute is looked up
 * @param name the unescaped attribute name (may contain dots, spaces, any character)
 * @param parent whether it was written {@code parent.x}, {@code parent.span.x} or
 *     {@code parent.resource.x}; such references parse but validation rejects them
 */
public record Attribute(AttributeScope scope, String name, boolean parent) implements FieldReference {
    /** Checks the scope fits the parent flag and no component is null. */
    public Attribute {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        if (parent && scope != AttributeScope.NONE && scope != AttributeScope.SPAN && scope != AttributeScope.RESOURCE) {
            throw new IllegalArgumentException("scope: " + scope + " (expected: NONE, SPAN or RESOURCE for a parent attribute)");
        }
    }

    /** A non-parent attribute. */
    public Attribute(AttributeScope scope, String name) {
        this(scope, name, false);
    }

    /** {@code span.<name>}. */
    public static Attribute span(String name) {
        return new Attribute(AttributeScope.SPAN, name);
    }

    /** {@code resource.<name>}. */
    public static Attribute resource(String name) {
        return new Attribute(AttributeScope.RESOURCE, name);
    }

    /** {@code .<name>}. */
    public static Attribute unscoped(String name) {
        return new Attribute(AttributeScope.NONE, name);
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
