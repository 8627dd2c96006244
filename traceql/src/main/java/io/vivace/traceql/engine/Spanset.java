package io.vivace.traceql.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A spanset flowing through a pipeline: spans of one trace in start order (no duplicates), and the
 * spanset-level attributes earlier stages attached ({@code by()} keys, aggregate values), in the
 * order they were attached. Immutable.
 */
final class Spanset {
    /** One spanset attribute; {@code value} null means nil. */
    record Attr(String name, Object value) {
    }

    final EvalSpan[] spans;
    final List<Attr> attributes;

    Spanset(EvalSpan[] spans, List<Attr> attributes) {
        this.spans = spans;
        this.attributes = attributes;
    }

    Spanset withSpans(EvalSpan[] newSpans) {
        return new Spanset(newSpans, attributes);
    }

    /** A copy with {@code name} set to {@code value} (replacing an attribute of the same name). */
    Spanset withAttribute(String name, Object value) {
        List<Attr> copy = new ArrayList<>(attributes.size() + 1);
        boolean replaced = false;
        for (Attr a : attributes) {
            if (a.name().equals(name)) {
                copy.add(new Attr(name, value));
                replaced = true;
            } else {
                copy.add(a);
            }
        }
        if (!replaced) {
            copy.add(new Attr(name, value));
        }
        return new Spanset(spans, List.copyOf(copy));
    }

    /** The union of two sorted span arrays, sorted, without duplicates. */
    static EvalSpan[] union(EvalSpan[] a, EvalSpan[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        EvalSpan[] out = new EvalSpan[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            int x = a[i].index();
            int y = b[j].index();
            if (x < y) {
                out[n++] = a[i++];
            } else if (y < x) {
                out[n++] = b[j++];
            } else {
                out[n++] = a[i++];
                j++;
            }
        }
        while (i < a.length) {
            out[n++] = a[i++];
        }
        while (j < b.length) {
            out[n++] = b[j++];
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** All spans of several spansets, sorted, without duplicates. */
    static EvalSpan[] allSpans(List<Spanset> sets) {
        if (sets.size() == 1) {
            return sets.get(0).spans;
        }
        EvalSpan[] out = new EvalSpan[0];
        for (Spanset s : sets) {
            out = union(out, s.spans);
        }
        return out;
    }
}
