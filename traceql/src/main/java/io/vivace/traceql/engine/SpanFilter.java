package io.vivace.traceql.engine;

import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.Static;

/**
 * The body of a spanset filter, compiled. A span matches when the expression is boolean true; when
 * the expression reads event (link) fields, it matches when <em>some</em> event (link) of the span
 * makes the whole expression true, so {@code { event.a = 1 && event.b = 2 }} needs one event with
 * both. A span without events (links) is evaluated once with those fields nil.
 */
final class SpanFilter {
    private final Expr expr;
    private final boolean matchesAll;

    private SpanFilter(Expr expr, boolean matchesAll) {
        this.expr = expr;
        this.matchesAll = matchesAll;
    }

    static SpanFilter compile(FieldExpression e) {
        return new SpanFilter(Expr.compile(e), e.equals(Static.TRUE));
    }

    /** Whether every span matches ({@code { }}). */
    boolean matchesAll() {
        return matchesAll;
    }

    /** Whether the span matches; leaves the context bound to it. */
    boolean test(EvalSpan span, EvalContext c) {
        c.bind(span);
        int events = expr.usesEvents ? span.span().getEventsCount() : 0;
        int links = expr.usesLinks ? span.span().getLinksCount() : 0;
        if (events == 0 && links == 0) {
            return expr.test(c);
        }
        // -1 = unbound, used when the span has none: event (link) fields are then nil.
        int firstEvent = events == 0 ? -1 : 0;
        int firstLink = links == 0 ? -1 : 0;
        try {
            for (int e = firstEvent; e < events || e == -1; e++) {
                boolean eventRead = false;
                for (int l = firstLink; l < links || l == -1; l++) {
                    c.event = e;
                    c.link = l;
                    c.eventRead = false;
                    c.linkRead = false;
                    if (expr.test(c)) {
                        return true;
                    }
                    eventRead |= c.eventRead;
                    if (!c.linkRead || l == -1) {
                        break; // the result does not depend on which link is bound
                    }
                }
                if (!eventRead || e == -1) {
                    break; // nor on which event is bound
                }
            }
            return false;
        } finally {
            c.event = -1;
            c.link = -1;
        }
    }
}
