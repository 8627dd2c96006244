package io.vivace.traceql.ast;

import java.util.List;
import java.util.Optional;

/**
 * The hints of a query (spec 9). A hint is consulted by name and expected type: the first hint
 * with that name and type wins, a value of another type is ignored, and unknown names are ignored.
 *
 * @param hints the pairs of the last {@code with(...)} clause, in order
 */
public record Hints(List<Hint> hints) implements Node {
    /** No hints. */
    public static final Hints NONE = new Hints(List.of());

    /** Copies the list. */
    public Hints {
        hints = List.copyOf(hints);
    }

    /** Whether there are no hints. */
    public boolean isEmpty() {
        return hints.isEmpty();
    }

    /** The first boolean hint with this name. */
    public Optional<Boolean> bool(String name) {
        return find(name, Static.Bool.class).map(Static.Bool::value);
    }

    /** The first int hint with this name. */
    public Optional<Long> integer(String name) {
        return find(name, Static.Int.class).map(Static.Int::value);
    }

    /** The first float hint with this name (an int is not accepted, as in Tempo). */
    public Optional<Double> floating(String name) {
        return find(name, Static.Float.class).map(Static.Float::value);
    }

    /** The first string hint with this name. */
    public Optional<String> string(String name) {
        return find(name, Static.Str.class).map(Static.Str::value);
    }

    /** The first duration hint with this name, in nanoseconds. */
    public Optional<Long> duration(String name) {
        return find(name, Static.Duration.class).map(Static.Duration::nanos);
    }

    private <T extends Static> Optional<T> find(String name, Class<T> type) {
        return hints.stream()
                .filter(h -> h.name().equals(name) && type.isInstance(h.value()))
                .map(h -> type.cast(h.value()))
                .findFirst();
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
