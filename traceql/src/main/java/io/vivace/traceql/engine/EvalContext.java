package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * The mutable state of evaluating field expressions on one trace: the current span and, for
 * event- and link-scoped fields, the event and link it is bound to. One instance per evaluation
 * (not thread-safe).
 *
 * <p>Binding: an index of -1 means "unbound": event (link) fields then read the first event (link)
 * that has them, which is how values are taken for {@code by()}, aggregates and responses. A filter
 * binds each event (link) in turn and records whether the expression actually read one ({@link
 * #eventRead}), so it can stop iterating when the result does not depend on it.
 */
final class EvalContext {
    final EvalTrace trace;
    EvalSpan span;
    int event = -1;
    int link = -1;
    boolean eventRead;
    boolean linkRead;
    private String strippedTraceId;

    EvalContext(EvalTrace trace) {
        this.trace = trace;
    }

    /** Makes {@code s} the current span, unbound from events and links. */
    EvalContext bind(EvalSpan s) {
        span = s;
        event = -1;
        link = -1;
        return this;
    }

    /** The trace ID as hex without any leading zero (how {@code trace:id} compares). */
    String strippedTraceId() {
        if (strippedTraceId == null) {
            strippedTraceId = stripLeadingZeros(trace.id().toHex());
        }
        return strippedTraceId;
    }

    /** The bound event, or the first event when unbound; null when the span has none. */
    Span.Event currentEvent() {
        List<Span.Event> events = span.span().getEventsList();
        if (events.isEmpty()) {
            return null;
        }
        if (event >= 0) {
            eventRead = true;
            return events.get(event);
        }
        return events.get(0);
    }

    /** The bound link, or the first link when unbound; null when the span has none. */
    Span.Link currentLink() {
        List<Span.Link> links = span.span().getLinksList();
        if (links.isEmpty()) {
            return null;
        }
        if (link >= 0) {
            linkRead = true;
            return links.get(link);
        }
        return links.get(0);
    }

    /** An attribute of the bound event, or of the first event having it when unbound. */
    AnyValue eventAttribute(String name) {
        List<Span.Event> events = span.span().getEventsList();
        if (events.isEmpty()) {
            return null;
        }
        if (event >= 0) {
            eventRead = true;
            return find(events.get(event).getAttributesList(), name);
        }
        for (Span.Event e : events) {
            AnyValue v = find(e.getAttributesList(), name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** An attribute of the bound link, or of the first link having it when unbound. */
    AnyValue linkAttribute(String name) {
        List<Span.Link> links = span.span().getLinksList();
        if (links.isEmpty()) {
            return null;
        }
        if (link >= 0) {
            linkRead = true;
            return find(links.get(link).getAttributesList(), name);
        }
        for (Span.Link l : links) {
            AnyValue v = find(l.getAttributesList(), name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value of the first attribute named {@code name}, or null. */
    static AnyValue find(List<KeyValue> attributes, String name) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            if (kv.getKey().equals(name)) {
                return kv.getValue();
            }
        }
        return null;
    }

    static String stripLeadingZeros(String hex) {
        int i = 0;
        while (i < hex.length() && hex.charAt(i) == '0') {
            i++;
        }
        return hex.substring(i);
    }
}
