package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * One span as the engine sees it: the OTLP span with its resource and scope, and the values that
 * depend on the rest of the trace (nested-set numbers, child count). Instances are created by
 * {@link EvalTrace#of}; fields other than the OTLP messages are filled there.
 */
public final class EvalSpan {
    private final EvalTrace trace;
    private final int index;
    private final Span span;
    private final Resource resource;
    private final InstrumentationScope scope;
    int nestedSetLeft;
    int nestedSetRight;
    int nestedSetParent;
    int childCount;

    EvalSpan(EvalTrace trace, int index, Span span, Resource resource, InstrumentationScope scope) {
        this.trace = trace;
        this.index = index;
        this.span = span;
        this.resource = resource;
        this.scope = scope;
    }

    /** The trace this span belongs to. */
    public EvalTrace trace() {
        return trace;
    }

    /** Position in {@link EvalTrace#spans()} (start-time order). */
    public int index() {
        return index;
    }

    /** The OTLP span. */
    public Span span() {
        return span;
    }

    /** The span's resource (default instance when the span had none). */
    public Resource resource() {
        return resource;
    }

    /** The span's instrumentation scope (default instance when none). */
    public InstrumentationScope scope() {
        return scope;
    }

    /** Start in nanoseconds since the epoch. */
    public long startNanos() {
        return span.getStartTimeUnixNano();
    }

    /** {@code end - start} in nanoseconds. */
    public long durationNanos() {
        return span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    }

    /** Nested-set left number; 0 when the span is not reachable from a root. */
    public int nestedSetLeft() {
        return nestedSetLeft;
    }

    /** Nested-set right number; 0 when the span is not reachable from a root. */
    public int nestedSetRight() {
        return nestedSetRight;
    }

    /** The parent's left number, −1 for a root, 0 when not numbered. */
    public int nestedSetParent() {
        return nestedSetParent;
    }

    /** Whether the span has nested-set numbers (structural operators ignore the others). */
    public boolean hasNestedSet() {
        return nestedSetLeft != 0;
    }

    /** Direct children in the trace. */
    public int childCount() {
        return childCount;
    }

    @Override
    public String toString() {
        return "EvalSpan[" + span.getName() + " #" + index + " " + nestedSetLeft + "/" + nestedSetRight + "/" + nestedSetParent + "]";
    }
}
