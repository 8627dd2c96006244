package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.SpanKind;
import io.vivace.traceql.ast.SpanStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Tag names and values read from {@link EvalTrace}s: the generic implementation of {@link
 * TraceSource#tagNames} and {@link TraceSource#tagValues} for sources without a faster way.
 *
 * <p>Only spans matching the request's filter count (evaluated exactly, like a search filter).
 * Names: the attribute keys of the requested scopes (span, resource, every event, every link, the
 * instrumentation scope). Values of an attribute: scoped, from that scope (every event / link);
 * unscoped, from all of span, resource, events, links and instrumentation scope. Values of an
 * intrinsic: its value on the span (every event / link for event and link intrinsics), empty
 * strings left out. Arrays contribute their elements; bytes and kvlist values are skipped. Types:
 * {@code string}, {@code int}, {@code float} (Go {@code 'g'} text with a {@code .0} added to whole
 * numbers, as Tempo), {@code bool}, {@code duration} (Go text such as {@code 1.2s}), {@code
 * keyword} (status and kind). Each call reports a name or value at most once.
 */
public final class SpanTags {
    private SpanTags() {
    }

    /** Fetches the request's traces from {@code source} and streams the tag names of matching spans. */
    public static void names(TraceSource source, TagRequest request, FetchStats stats, TraceSource.TagNameSink sink) {
        Objects.requireNonNull(sink, "sink");
        SpanFilter filter = request.filter() == null ? null : SpanFilter.compile(request.filter().expression());
        Set<AttributeScope> scopes = request.scopes();
        Set<String> seen = new HashSet<>();
        source.fetch(request.fetchRequest(), stats, trace -> {
            EvalContext c = new EvalContext(trace);
            for (EvalSpan s : trace.spans()) {
                if (request.cancelled().getAsBoolean()) {
                    return false;
                }
                if (filter != null && !filter.test(s, c)) {
                    continue;
                }
                for (AttributeScope scope : scopes) {
                    if (!emitNames(scope, s, seen, sink)) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static boolean emitNames(AttributeScope scope, EvalSpan s, Set<String> seen, TraceSource.TagNameSink sink) {
        return switch (scope) {
            case SPAN -> emitKeys(scope, s.span().getAttributesList(), seen, sink);
            case RESOURCE -> emitKeys(scope, s.resource().getAttributesList(), seen, sink);
            case INSTRUMENTATION -> emitKeys(scope, s.scope().getAttributesList(), seen, sink);
            case EVENT -> {
                for (Span.Event e : s.span().getEventsList()) {
                    if (!emitKeys(scope, e.getAttributesList(), seen, sink)) {
                        yield false;
                    }
                }
                yield true;
            }
            case LINK -> {
                for (Span.Link l : s.span().getLinksList()) {
                    if (!emitKeys(scope, l.getAttributesList(), seen, sink)) {
                        yield false;
                    }
                }
                yield true;
            }
            case NONE -> true;
        };
    }

    private static boolean emitKeys(AttributeScope scope, List<KeyValue> attributes, Set<String> seen, TraceSource.TagNameSink sink) {
        for (KeyValue kv : attributes) {
            if (seen.add(scope.word() + '.' + kv.getKey()) && !sink.accept(scope, kv.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** Fetches the request's traces from {@code source} and streams the values of the tag on matching spans. */
    public static void values(TraceSource source, TagRequest request, FetchStats stats, TraceSource.TagValueSink sink) {
        Objects.requireNonNull(sink, "sink");
        FieldReference tag = Objects.requireNonNull(request.tag(), "request.tag() (expected: the tag whose values are wanted)");
        if (tag instanceof IntrinsicField i && i.intrinsic() == Intrinsic.PARENT || tag instanceof Attribute a && a.parent()) {
            throw new IllegalArgumentException("tag: " + tag + " (expected: an attribute or intrinsic other than parent)");
        }
        SpanFilter filter = request.filter() == null ? null : SpanFilter.compile(request.filter().expression());
        Expr intrinsic = tag instanceof IntrinsicField ? Expr.compile(tag) : null;
        Set<TagValue> seen = new HashSet<>();
        Emitter emit = v -> {
            TagValue t = toTagValue(v);
            return t == null || !seen.add(t) || sink.accept(t);
        };
        source.fetch(request.fetchRequest(), stats, trace -> {
            EvalContext c = new EvalContext(trace);
            for (EvalSpan s : trace.spans()) {
                if (request.cancelled().getAsBoolean()) {
                    return false;
                }
                if (filter != null && !filter.test(s, c)) {
                    continue;
                }
                boolean more = switch (tag) {
                    case Attribute a -> attributeValues(a, s, emit);
                    case IntrinsicField i -> intrinsicValues(i.intrinsic(), intrinsic, s, c, emit);
                };
                if (!more) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Receives one raw value; returns false to stop. */
    @FunctionalInterface
    private interface Emitter {
        boolean accept(Object value);
    }

    private static boolean attributeValues(Attribute a, EvalSpan s, Emitter emit) {
        AttributeScope scope = a.scope();
        String name = a.name();
        if (scope == AttributeScope.SPAN || scope == AttributeScope.NONE) {
            if (!emitRaw(EvalContext.find(s.span().getAttributesList(), name), emit)) {
                return false;
            }
        }
        if (scope == AttributeScope.RESOURCE || scope == AttributeScope.NONE) {
            if (!emitRaw(EvalContext.find(s.resource().getAttributesList(), name), emit)) {
                return false;
            }
        }
        if (scope == AttributeScope.EVENT || scope == AttributeScope.NONE) {
            for (Span.Event e : s.span().getEventsList()) {
                if (!emitRaw(EvalContext.find(e.getAttributesList(), name), emit)) {
                    return false;
                }
            }
        }
        if (scope == AttributeScope.LINK || scope == AttributeScope.NONE) {
            for (Span.Link l : s.span().getLinksList()) {
                if (!emitRaw(EvalContext.find(l.getAttributesList(), name), emit)) {
                    return false;
                }
            }
        }
        if (scope == AttributeScope.INSTRUMENTATION || scope == AttributeScope.NONE) {
            return emitRaw(EvalContext.find(s.scope().getAttributesList(), name), emit);
        }
        return true;
    }

    private static boolean emitRaw(AnyValue v, Emitter emit) {
        if (v == null) {
            return true;
        }
        Object value = Values.of(v);
        if (value instanceof Values.Arr arr) {
            for (Object e : arr.elements()) {
                if (!emit.accept(e)) {
                    return false;
                }
            }
            return true;
        }
        return emit.accept(value);
    }

    private static boolean intrinsicValues(Intrinsic intrinsic, Expr expr, EvalSpan s, EvalContext c, Emitter emit) {
        c.bind(s);
        int bindings = switch (intrinsic.level()) {
            case EVENT -> s.span().getEventsCount();
            case LINK -> s.span().getLinksCount();
            default -> 1;
        };
        try {
            for (int i = 0; i < bindings; i++) {
                if (intrinsic.level() == Intrinsic.Level.EVENT) {
                    c.event = i;
                } else if (intrinsic.level() == Intrinsic.Level.LINK) {
                    c.link = i;
                }
                Object v = expr.eval(c);
                if (v instanceof String str && str.isEmpty()) {
                    continue;
                }
                if (!emit.accept(v)) {
                    return false;
                }
            }
            return true;
        } finally {
            c.event = -1;
            c.link = -1;
        }
    }

    /** The typed tag value, or null for values the API does not report (nil, bytes, kvlist). */
    static TagValue toTagValue(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> TagValue.string(s);
            case Long l -> new TagValue("int", Long.toString(l));
            case Double d -> new TagValue("float", floatText(d));
            case Boolean b -> new TagValue("bool", Boolean.toString(b));
            case Values.Dur d -> new TagValue("duration", GoFormat.duration(d.nanos()));
            case SpanStatus st -> new TagValue("keyword", st.keyword());
            case SpanKind k -> new TagValue("keyword", k.keyword());
            default -> null;
        };
    }

    /** Tempo's rendering of a float: Go's shortest {@code 'g'} text, with {@code .0} when it would read as an int. */
    static String floatText(double d) {
        String s = GoFormat.formatFloat(d);
        return Double.isFinite(d) && s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + ".0" : s;
    }
}
