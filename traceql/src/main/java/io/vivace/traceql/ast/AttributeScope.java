package io.vivace.traceql.ast;

/** Where an attribute is looked up (spec 3.1). */
public enum AttributeScope {
    /** Unscoped {@code .x}: span, then resource, then event, link, instrumentation. */
    NONE(""),
    /** {@code span.x}: span attributes. */
    SPAN("span"),
    /** {@code resource.x}: attributes of the span's resource. */
    RESOURCE("resource"),
    /** {@code event.x}: attributes of the span's events. */
    EVENT("event"),
    /** {@code link.x}: attributes of the span's links. */
    LINK("link"),
    /** {@code instrumentation.x}: instrumentation-scope attributes. */
    INSTRUMENTATION("instrumentation");

    private final String word;

    AttributeScope(String word) {
        this.word = word;
    }

    /** The scope word as written before the dot ({@code ""} for {@link #NONE}). */
    public String word() {
        return word;
    }
}
