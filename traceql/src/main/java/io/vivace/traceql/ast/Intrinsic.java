package io.vivace.traceql.ast;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every intrinsic field of spec 3.2, with its spellings, static type and the level it lives at
 * (which tells the planner which columns to read).
 */
public enum Intrinsic {
    /** Span name: {@code name}, {@code span:name}. */
    NAME("name", "span:name", StaticType.STRING, Level.SPAN),
    /** Span status: {@code status}, {@code span:status}. */
    STATUS("status", "span:status", StaticType.STATUS, Level.SPAN),
    /** Status message: {@code statusMessage}, {@code span:statusMessage}. */
    STATUS_MESSAGE("statusMessage", "span:statusMessage", StaticType.STRING, Level.SPAN),
    /** Span kind: {@code kind}, {@code span:kind}. */
    KIND("kind", "span:kind", StaticType.KIND, Level.SPAN),
    /** Span duration (end - start): {@code duration}, {@code span:duration}. */
    DURATION("duration", "span:duration", StaticType.DURATION, Level.SPAN),
    /** Span ID as hex: {@code span:id}. */
    SPAN_ID(null, "span:id", StaticType.STRING, Level.SPAN),
    /** Parent span ID as hex: {@code span:parentID}. */
    SPAN_PARENT_ID(null, "span:parentID", StaticType.STRING, Level.SPAN),
    /** Number of direct children: {@code span:childCount}. */
    CHILD_COUNT(null, "span:childCount", StaticType.INT, Level.SPAN),
    /** Trace duration: {@code traceDuration}, {@code trace:duration}. */
    TRACE_DURATION("traceDuration", "trace:duration", StaticType.DURATION, Level.TRACE),
    /** Root span name: {@code rootName}, {@code trace:rootName}. */
    TRACE_ROOT_NAME("rootName", "trace:rootName", StaticType.STRING, Level.TRACE),
    /** Root service name: {@code rootServiceName}, {@code trace:rootService}. */
    TRACE_ROOT_SERVICE("rootServiceName", "trace:rootService", StaticType.STRING, Level.TRACE),
    /** Trace ID as hex: {@code trace:id}. */
    TRACE_ID(null, "trace:id", StaticType.STRING, Level.TRACE),
    /** Event name: {@code event:name}. */
    EVENT_NAME(null, "event:name", StaticType.STRING, Level.EVENT),
    /** Event time minus span start: {@code event:timeSinceStart}. */
    EVENT_TIME_SINCE_START(null, "event:timeSinceStart", StaticType.DURATION, Level.EVENT),
    /** Linked trace ID: {@code link:traceID}. */
    LINK_TRACE_ID(null, "link:traceID", StaticType.STRING, Level.LINK),
    /** Linked span ID: {@code link:spanID}. */
    LINK_SPAN_ID(null, "link:spanID", StaticType.STRING, Level.LINK),
    /** Instrumentation scope name: {@code instrumentation:name}. */
    INSTRUMENTATION_NAME(null, "instrumentation:name", StaticType.STRING, Level.INSTRUMENTATION),
    /** Instrumentation scope version: {@code instrumentation:version}. */
    INSTRUMENTATION_VERSION(null, "instrumentation:version", StaticType.STRING, Level.INSTRUMENTATION),
    /** Nested-set left position (structural id): {@code nestedSetLeft}. */
    NESTED_SET_LEFT("nestedSetLeft", null, StaticType.INT, Level.SPAN),
    /** Nested-set right position: {@code nestedSetRight}. */
    NESTED_SET_RIGHT("nestedSetRight", null, StaticType.INT, Level.SPAN),
    /** Nested-set position of the parent: {@code nestedSetParent}. */
    NESTED_SET_PARENT("nestedSetParent", null, StaticType.INT, Level.SPAN),
    /** {@code parent}: parses, but validation rejects it (not yet supported, as in Tempo). */
    PARENT("parent", null, StaticType.ATTRIBUTE, Level.SPAN);

    /** The level of the data model an intrinsic is read from. */
    public enum Level {
        /** A property of the span itself. */
        SPAN,
        /** A property of the whole trace, equal on every span of it. */
        TRACE,
        /** A property of one of the span's events. */
        EVENT,
        /** A property of one of the span's links. */
        LINK,
        /** A property of the span's instrumentation scope. */
        INSTRUMENTATION
    }

    private static final Map<String, Intrinsic> BY_SPELLING = Stream.of(values())
            .flatMap(i -> Stream.of(i.unscoped, i.scoped).filter(s -> s != null).map(s -> Map.entry(s, i)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String unscoped;
    private final String scoped;
    private final StaticType type;
    private final Level level;

    Intrinsic(String unscoped, String scoped, StaticType type, Level level) {
        this.unscoped = unscoped;
        this.scoped = scoped;
        this.type = type;
        this.level = level;
    }

    /** The unscoped spelling ({@code duration}), if the intrinsic has one. */
    public Optional<String> unscopedName() {
        return Optional.ofNullable(unscoped);
    }

    /** The scoped spelling ({@code span:duration}), if the intrinsic has one. */
    public Optional<String> scopedName() {
        return Optional.ofNullable(scoped);
    }

    /**
     * The canonical spelling: unscoped where an unscoped alias exists (as Tempo labels metrics
     * series), otherwise scoped.
     */
    public String canonicalName() {
        return unscoped != null ? unscoped : scoped;
    }

    /** The static type of the field's values. */
    public StaticType type() {
        return type;
    }

    /** Where the value lives. */
    public Level level() {
        return level;
    }

    /** Looks an intrinsic up by any of its spellings ({@code name}, {@code span:name}, {@code trace:rootService}). */
    public static Optional<Intrinsic> bySpelling(String spelling) {
        return Optional.ofNullable(BY_SPELLING.get(spelling));
    }

}
