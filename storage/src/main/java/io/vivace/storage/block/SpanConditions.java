package io.vivace.storage.block;

import io.vivace.model.TraceId;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.plan.Condition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Compiles the conditions of the engine's first pass ({@code field op literal}) into tests over the
 * columns of a batch. A condition becomes terms, one per place its value may live (a dedicated
 * column and the generic attribute list; every scope for an unscoped attribute), combined by OR, or
 * by AND for {@code = nil} (absent everywhere). Each term can prune a batch from the index, then
 * from its dictionaries (a literal absent from the batch's dictionary matches nothing there), and
 * finally tests rows.
 *
 * <p>Terms are exact where the TraceQL rules are clear (strings, numbers, bools, arrays
 * element-wise, status and kind keywords, presence) and answer "may match" (true) where the
 * engine's behaviour is not pinned down (values of kvlist or bytes type,
 * {@code event.x = nil}, relational operators on IDs, nested-set intrinsics, link intrinsics,
 * {@code event:timeSinceStart}), so the result is always a superset of the spans the engine keeps.
 * Repeated keys count as "any entry matches", a superset of any first- or last-wins rule.
 */
final class SpanConditions {
    private SpanConditions() {}

    private static final byte[] EMPTY = new byte[0];

    /** Sets the bits of the rows of a loaded batch that satisfy something; never clears bits. */
    @FunctionalInterface
    interface RowTest {
        void evaluate(SearchBatch batch, long[] out) throws IOException;
    }

    /** Turns a pending {@link Bound} into a decided one once its probe fields are loaded. */
    @FunctionalInterface
    interface Refiner {
        Bound refine(SearchBatch batch) throws IOException;
    }

    /**
     * A term or a condition for one batch: a constant, a row test and the fields it reads, or
     * pending: a few cheap fields (the probe) decide between the two, so that the costly ones are
     * read only when they can matter.
     */
    static final class Bound {
        static final Bound TRUE = new Bound(true, null, null, null, null);
        static final Bound FALSE = new Bound(false, null, null, null, null);

        final boolean value;
        final ColumnSelection fields;
        final RowTest test;
        final ColumnSelection probe;
        final Refiner refiner;

        private Bound(boolean value, ColumnSelection fields, RowTest test, ColumnSelection probe, Refiner refiner) {
            this.value = value;
            this.fields = fields;
            this.test = test;
            this.probe = probe;
            this.refiner = refiner;
        }

        static Bound rows(ColumnSelection fields, RowTest test) {
            return new Bound(false, fields, test, null, null);
        }

        static Bound pending(ColumnSelection probe, Refiner refiner) {
            return new Bound(false, null, null, probe, refiner);
        }

        static Bound of(boolean value) {
            return value ? TRUE : FALSE;
        }

        /** TRUE or FALSE. */
        boolean isConstant() {
            return test == null && probe == null;
        }

        boolean isFalse() {
            return this == FALSE;
        }

        boolean isPending() {
            return probe != null;
        }

        /** The decided bound, loading nothing: the probe fields must be loaded when pending. */
        Bound refine(SearchBatch batch) throws IOException {
            return isPending() ? refiner.refine(batch) : this;
        }

        private static Bound pendingOf(List<Bound> parts, boolean every) {
            ColumnSelection probe = new ColumnSelection();
            parts.forEach(p -> {
                if (p.isPending()) {
                    probe.addAll(p.probe);
                }
            });
            return pending(probe, batch -> {
                List<Bound> decided = new ArrayList<>(parts.size());
                for (Bound p : parts) {
                    decided.add(p.refine(batch));
                }
                return every ? every(decided) : any(decided);
            });
        }

        /** OR of {@code parts}. */
        static Bound any(List<Bound> parts) {
            return combine(parts, false);
        }

        /** AND of {@code parts}. */
        static Bound every(List<Bound> parts) {
            return combine(parts, true);
        }

        /**
         * AND ({@code every}) or OR of {@code parts}: constants fold (FALSE absorbs an AND, TRUE an
         * OR), one open part stands for itself, pending parts defer the whole to the batch.
         */
        private static Bound combine(List<Bound> parts, boolean every) {
            Bound absorbing = every ? FALSE : TRUE;
            List<Bound> open = new ArrayList<>();
            boolean pending = false;
            for (Bound p : parts) {
                if (p == absorbing) {
                    return absorbing;
                }
                if (!p.isConstant()) {
                    open.add(p);
                    pending |= p.isPending();
                }
            }
            if (open.size() <= 1) {
                return open.isEmpty() ? (every ? TRUE : FALSE) : open.get(0);
            }
            if (pending) {
                return pendingOf(open, every);
            }
            ColumnSelection fields = new ColumnSelection();
            open.forEach(p -> fields.addAll(p.fields));
            if (!every) {
                return rows(fields, (batch, out) -> {
                    for (Bound p : open) {
                        p.test.evaluate(batch, out);
                    }
                });
            }
            return rows(fields, (batch, out) -> {
                long[] all = null;
                for (Bound p : open) {
                    long[] bits = new long[out.length];
                    p.test.evaluate(batch, bits);
                    if (all == null) {
                        all = bits;
                    } else {
                        for (int i = 0; i < all.length; i++) {
                            all[i] &= bits[i];
                        }
                    }
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] |= all[i];
                }
            });
        }
    }

    /** One place a condition's value may live. */
    abstract static class Term {
        /** False only when no row of the batch can satisfy the term, judging from the index alone. */
        boolean mayMatch(BlockIndex.Batch batch) {
            return true;
        }

        /** Adds the dictionary columns {@link #bind} reads. */
        void dictionaries(Set<String> out) {}

        /** The term for one batch whose dictionaries (and metadata) are loaded. */
        abstract Bound bind(SearchBatch batch) throws IOException;
    }

    /**
     * A compiled condition.
     *
     * @param condition the condition
     * @param every true: all terms must hold ({@code = nil}); false: any
     * @param terms the terms
     */
    record Compiled(Condition condition, boolean every, List<Term> terms) {
        boolean mayMatch(BlockIndex.Batch batch) {
            for (Term t : terms) {
                if (t.mayMatch(batch) != every) {
                    return !every;
                }
            }
            return every;
        }

        void dictionaries(Set<String> out) {
            terms.forEach(t -> t.dictionaries(out));
        }

        Bound bind(SearchBatch batch) throws IOException {
            List<Bound> parts = new ArrayList<>(terms.size());
            for (Term t : terms) {
                parts.add(t.bind(batch));
            }
            return every ? Bound.every(parts) : Bound.any(parts);
        }
    }

    /** Compiles one condition (which has an operator). */
    static Compiled compile(Condition c) {
        BinaryOperator op = c.operator();
        Static literal = c.operand();
        List<Term> terms = new ArrayList<>();
        boolean every = false;
        switch (c.field()) {
            case IntrinsicField f -> terms.add(intrinsic(f.intrinsic(), op, literal));
            case Attribute a -> {
                List<AttributeScope> scopes = a.scope() == AttributeScope.NONE
                        ? List.of(AttributeScope.SPAN, AttributeScope.RESOURCE, AttributeScope.EVENT, AttributeScope.LINK,
                                AttributeScope.INSTRUMENTATION)
                        : List.of(a.scope());
                if (a.parent()) {
                    terms.add(new Constant(true)); // rejected by validation; never drop a match
                } else if (literal instanceof Static.Nil) {
                    if (op == BinaryOperator.EQ) {
                        every = true;
                        scopes.forEach(s -> absent(s, a.name(), terms));
                    } else if (op == BinaryOperator.NEQ) {
                        scopes.forEach(s -> present(s, a.name(), terms));
                    } else {
                        terms.add(new Constant(false)); // any other comparison with nil is false
                    }
                } else {
                    ValueTest test = new ValueTest(op, literal);
                    scopes.forEach(s -> values(s, a.name(), test, terms));
                }
            }
        }
        return new Compiled(c, every, List.copyOf(terms));
    }

    private static Term intrinsic(Intrinsic intrinsic, BinaryOperator op, Static literal) {
        if (literal instanceof Static.Nil) {
            // "= nil" on an intrinsic is rejected by validation and "!= nil" is true where the field exists.
            return new Constant(true);
        }
        ValueTest test = new ValueTest(op, literal);
        return switch (intrinsic) {
            case NAME -> test.isString() ? new CodedColumn(SpanColumns.NAME, test, false, BlockIndex.Batch::spanNames) : new Constant(false);
            case STATUS -> literal instanceof Static.Status s && op.isEquality()
                    ? enumColumn(SpanColumns.STATUS_CODE, statusCode(s), op, 0L, BlockIndex.Batch::statusMask) : new Constant(false);
            case KIND -> literal instanceof Static.Kind k && op.isEquality()
                    ? enumColumn(SpanColumns.KIND, k.value().ordinal(), op, 0L, BlockIndex.Batch::kindMask) : new Constant(false);
            case STATUS_MESSAGE -> test.isString() ? new CodedColumn(SpanColumns.STATUS_MESSAGE, test, true, null) : new Constant(false);
            case DURATION -> test.isNumeric()
                    ? new LongColumn(SpanColumns.DURATION_NANO, test::testLong, null, b -> inRange(test, b.minDurationNano(), b.maxDurationNano()))
                    : new Constant(false);
            case CHILD_COUNT -> test.isNumeric() ? new LongColumn(SpanColumns.CHILD_COUNT, test::testLong, null, null) : new Constant(false);
            case TRACE_DURATION -> test.isNumeric() ? new TraceDuration(test) : new Constant(false);
            case TRACE_ROOT_NAME -> test.isString() ? new CodedColumn(SpanColumns.TRACE_ROOT_NAME, test, false, null) : new Constant(false);
            case TRACE_ROOT_SERVICE -> test.isString() ? new CodedColumn(SpanColumns.TRACE_ROOT_SERVICE, test, false, null) : new Constant(false);
            case INSTRUMENTATION_NAME -> test.isString() ? new CodedColumn(SpanColumns.SCOPE_NAME, test, true, null) : new Constant(false);
            case INSTRUMENTATION_VERSION -> test.isString() ? new CodedColumn(SpanColumns.SCOPE_VERSION, test, true, null) : new Constant(false);
            case EVENT_NAME -> test.isString() ? new EventName(test) : new Constant(false);
            case TRACE_ID -> id(SpanColumns.TRACE_ID, 16, op, literal);
            case SPAN_ID -> id(SpanColumns.SPAN_ID, 8, op, literal);
            case SPAN_PARENT_ID -> id(SpanColumns.PARENT_SPAN_ID, 8, op, literal);
            // The engine numbers nested sets itself; event times and link IDs are not worth a column read here.
            case NESTED_SET_LEFT, NESTED_SET_RIGHT, NESTED_SET_PARENT, EVENT_TIME_SINCE_START, LINK_TRACE_ID, LINK_SPAN_ID, PARENT ->
                    new Constant(true);
        };
    }

    /** OTLP status code of a status keyword (an absent status is unset, 0). */
    static int statusCode(Static.Status s) {
        return switch (s.value()) {
            case UNSET -> 0;
            case OK -> 1;
            case ERROR -> 2;
        };
    }

    /**
     * {@code status} or {@code kind} compared with a keyword whose OTLP number is {@code value}. OTLP
     * numbers TraceQL has no keyword for read as {@code unset} (0) and {@code unspecified} (0): the
     * keyword 0 stands for every number outside 1..{@code max} (status: 2, kind: 5).
     */
    private static Term enumColumn(String column, int value, BinaryOperator op, long nullValue, Function<BlockIndex.Batch, Integer> mask) {
        int max = column.equals(SpanColumns.STATUS_CODE) ? 2 : 5;
        boolean eq = op == BinaryOperator.EQ;
        // Mask bits (numbers 0..6, bit 7: any other) of the OTLP numbers that read as the keyword.
        int bits = 0;
        for (int v = 0; v <= 7; v++) {
            if ((v >= 1 && v <= max ? v : 0) == value) {
                bits |= 1 << v;
            }
        }
        int keywordBits = bits;
        return new LongColumn(column, v -> ((v >= 1 && v <= max ? v : 0) == value) == eq, nullValue,
                b -> eq ? (mask.apply(b) & keywordBits) != 0 : (mask.apply(b) & ~keywordBits & 0xff) != 0);
    }

    /** Whether some value in {@code [min, max]} may satisfy a numeric test. */
    private static boolean inRange(ValueTest test, long min, long max) {
        if (min > max) {
            return false; // empty batch
        }
        return switch (test.op) {
            case EQ -> new ValueTest(BinaryOperator.LTE, test.literal).testLong(min) && new ValueTest(BinaryOperator.GTE, test.literal).testLong(max);
            case NEQ -> min != max || test.testLong(min);
            case LT, LTE -> test.testLong(min);
            case GT, GTE -> test.testLong(max);
            default -> false;
        };
    }

    private static Term id(String column, int width, BinaryOperator op, Static literal) {
        if (!(literal instanceof Static.Str s)) {
            return new Constant(false);
        }
        if (op != BinaryOperator.EQ) {
            return new Constant(true); // hex renderings are the engine's business
        }
        byte[] expected = parseHex(s.value(), width);
        if (expected == null) {
            return new Constant(false); // not hex of that width: no ID renders as it
        }
        return new IdEquals(column, expected);
    }

    /**
     * The big-endian bytes of a hex ID literal, leading zeros stripped and case ignored (a superset
     * of any exact hex comparison), or null when it is not hex of at most {@code width} bytes.
     */
    static byte[] parseHex(String literal, int width) {
        String hex = literal.toLowerCase(Locale.ROOT);
        int start = 0;
        while (start < hex.length() && hex.charAt(start) == '0') {
            start++;
        }
        hex = hex.substring(start);
        if (hex.length() > width * 2) {
            return null;
        }
        byte[] out = new byte[width];
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(hex.length() - 1 - i);
            if (!HexFormat.isHexDigit(c)) {
                return null;
            }
            int d = HexFormat.fromHexDigit(c);
            out[width - 1 - i / 2] |= (byte) (i % 2 == 0 ? d : d << 4);
        }
        return out;
    }

    private static void values(AttributeScope scope, String key, ValueTest test, List<Term> out) {
        switch (scope) {
            case SPAN -> {
                SpanColumns.Dedicated d = dedicated(TraceLayout.SPAN_DEDICATED, TraceLayout.SPAN_COLUMNS, key);
                if (d != null) {
                    out.add(d.isInt() ? (test.isNumeric() ? new LongColumn(d.column(), test::testLong, null, null) : new Constant(false))
                            : (test.isString() ? new CodedColumn(d.column(), test, false, null) : new Constant(false)));
                }
                out.add(new AttributeList(SpanColumns.SPAN_ATTRIBUTES, Nesting.ROW, key, test, null));
            }
            case RESOURCE -> {
                SpanColumns.Dedicated d = dedicated(TraceLayout.RESOURCE_DEDICATED, TraceLayout.RESOURCE_COLUMNS, key);
                // The index lists each batch's string service.name values (the dedicated column: the first
                // string service.name of each resource). OTLP attribute keys are unique, so a resource never
                // holds a second string service.name in its generic list: a string test prunes both terms on
                // that list. (A service.name sent as an array of strings would be missed; it is not OTLP.)
                Function<BlockIndex.Batch, BlockIndex.Dictionary> services =
                        key.equals("service.name") && test.isString() ? BlockIndex.Batch::serviceNames : null;
                if (d != null) {
                    out.add(test.isString() ? new CodedColumn(d.column(), test, false, services) : new Constant(false));
                }
                out.add(new AttributeList(SpanColumns.RESOURCE_ATTRIBUTES, Nesting.ROW, key, test, services));
            }
            case INSTRUMENTATION -> out.add(new AttributeList(SpanColumns.SCOPE_ATTRIBUTES, Nesting.ROW, key, test, null));
            case EVENT -> out.add(new AttributeList(SpanColumns.EVENTS, Nesting.EVENTS, key, test, null));
            case LINK -> out.add(new AttributeList(SpanColumns.LINKS, Nesting.LINKS, key, test, null));
            case NONE -> throw new IllegalArgumentException("scope: NONE (expected: a concrete scope)");
        }
    }

    private static void present(AttributeScope scope, String key, List<Term> out) {
        switch (scope) {
            case SPAN, RESOURCE -> {
                boolean resource = scope == AttributeScope.RESOURCE;
                SpanColumns.Dedicated d = resource ? dedicated(TraceLayout.RESOURCE_DEDICATED, TraceLayout.RESOURCE_COLUMNS, key)
                        : dedicated(TraceLayout.SPAN_DEDICATED, TraceLayout.SPAN_COLUMNS, key);
                if (d != null) {
                    out.add(new Nil(d.column(), false));
                }
                out.add(new Presence(resource ? SpanColumns.RESOURCE_ATTRIBUTES : SpanColumns.SPAN_ATTRIBUTES, Nesting.ROW, key, true));
            }
            case INSTRUMENTATION -> out.add(new Presence(SpanColumns.SCOPE_ATTRIBUTES, Nesting.ROW, key, true));
            case EVENT -> out.add(new Presence(SpanColumns.EVENTS, Nesting.EVENTS, key, true));
            case LINK -> out.add(new Presence(SpanColumns.LINKS, Nesting.LINKS, key, true));
            case NONE -> throw new IllegalArgumentException("scope: NONE (expected: a concrete scope)");
        }
    }

    private static void absent(AttributeScope scope, String key, List<Term> out) {
        switch (scope) {
            case SPAN, RESOURCE -> {
                boolean resource = scope == AttributeScope.RESOURCE;
                SpanColumns.Dedicated d = resource ? dedicated(TraceLayout.RESOURCE_DEDICATED, TraceLayout.RESOURCE_COLUMNS, key)
                        : dedicated(TraceLayout.SPAN_DEDICATED, TraceLayout.SPAN_COLUMNS, key);
                if (d != null) {
                    out.add(new Nil(d.column(), true));
                }
                out.add(new Presence(resource ? SpanColumns.RESOURCE_ATTRIBUTES : SpanColumns.SPAN_ATTRIBUTES, Nesting.ROW, key, false));
            }
            case INSTRUMENTATION -> out.add(new Presence(SpanColumns.SCOPE_ATTRIBUTES, Nesting.ROW, key, false));
            // Whether a span without events (or with events lacking the key) has event.x = nil is the engine's call.
            case EVENT, LINK -> out.add(new Constant(true));
            case NONE -> throw new IllegalArgumentException("scope: NONE (expected: a concrete scope)");
        }
    }

    private static SpanColumns.Dedicated dedicated(Map<String, Integer> byKey, List<SpanColumns.Dedicated> columns, String key) {
        Integer i = byKey.get(key);
        return i == null ? null : columns.get(i);
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static boolean anySatisfies(BlockIndex.Dictionary values, ValueTest test) {
        if (values.overflow()) {
            return true;
        }
        for (String v : values.values()) {
            if (test.testString(v.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    /** A constant term: "may match" (true) or "never" (false). */
    static final class Constant extends Term {
        private final boolean value;

        Constant(boolean value) {
            this.value = value;
        }

        @Override
        boolean mayMatch(BlockIndex.Batch batch) {
            return value;
        }

        @Override
        Bound bind(SearchBatch batch) {
            return Bound.of(value);
        }
    }

    /**
     * A string test on a column of dictionary codes. A null code is nil, or, for the intrinsics whose
     * proto3 string is stored null when empty ({@code statusMessage}, instrumentation name and
     * version), the empty string.
     */
    static final class CodedColumn extends Term {
        private final String column;
        private final String dictionary;
        private final ValueTest test;
        private final boolean nullIsEmpty;
        private final Function<BlockIndex.Batch, BlockIndex.Dictionary> indexValues;

        CodedColumn(String column, ValueTest test, boolean nullIsEmpty, Function<BlockIndex.Batch, BlockIndex.Dictionary> indexValues) {
            this.column = column;
            this.dictionary = SpanColumns.dictionaryOf(column);
            this.test = test;
            this.nullIsEmpty = nullIsEmpty;
            this.indexValues = indexValues;
        }

        @Override
        boolean mayMatch(BlockIndex.Batch batch) {
            return indexValues == null || anySatisfies(indexValues.apply(batch), test);
        }

        @Override
        void dictionaries(Set<String> out) {
            out.add(dictionary);
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            int rows = batch.rows();
            long nulls = batch.nullCount(column);
            boolean nullMatches = nullIsEmpty && test.testString(EMPTY);
            if (nulls == rows) {
                return Bound.of(nullMatches);
            }
            CodeMatcher codes = new CodeMatcher(batch.dictionary(dictionary), test);
            if (codes.all() && (nulls == 0 || nullMatches)) {
                return Bound.TRUE;
            }
            if (!codes.any() && (nulls == 0 || !nullMatches)) {
                return Bound.FALSE;
            }
            return Bound.rows(new ColumnSelection().whole(column), (b, out) -> {
                IntVector v = b.vector(column);
                ArrowBuf data = v.getDataBuffer();
                boolean nullable = v.getNullCount() > 0;
                for (int r = 0, n = b.rows(); r < n; r++) {
                    if (nullable && v.isNull(r) ? nullMatches : codes.matches(data.getInt((long) r * 4))) {
                        set(out, r);
                    }
                }
            });
        }
    }

    /** A test on an Int32 or Int64 column; a null is {@code nullValue}, or nil (no match) when that is null. */
    static final class LongColumn extends Term {
        private final String column;
        private final LongPredicate test;
        private final Long nullValue;
        private final Predicate<BlockIndex.Batch> index;

        LongColumn(String column, LongPredicate test, Long nullValue, Predicate<BlockIndex.Batch> index) {
            this.column = column;
            this.test = test;
            this.nullValue = nullValue;
            this.index = index;
        }

        @Override
        boolean mayMatch(BlockIndex.Batch batch) {
            return index == null || index.test(batch);
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            boolean nullMatches = nullValue != null && test.test(nullValue);
            if (batch.nullCount(column) == batch.rows()) {
                return Bound.of(nullMatches);
            }
            return Bound.rows(new ColumnSelection().whole(column), (b, out) -> {
                FieldVector v = b.vector(column);
                ArrowBuf data = v.getDataBuffer();
                boolean wide = v instanceof BigIntVector;
                boolean nullable = v.getNullCount() > 0;
                for (int r = 0, n = b.rows(); r < n; r++) {
                    boolean m;
                    if (nullable && v.isNull(r)) {
                        m = nullMatches;
                    } else {
                        m = test.test(wide ? data.getLong((long) r * 8) : data.getInt((long) r * 4));
                    }
                    if (m) {
                        set(out, r);
                    }
                }
            });
        }
    }

    /** {@code = nil} ({@code wantNull}) or {@code != nil} on a dedicated column. */
    static final class Nil extends Term {
        private final String column;
        private final boolean wantNull;

        Nil(String column, boolean wantNull) {
            this.column = column;
            this.wantNull = wantNull;
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            long nulls = batch.nullCount(column);
            if (nulls == 0 || nulls == batch.rows()) {
                return Bound.of((nulls != 0) == wantNull);
            }
            return Bound.rows(new ColumnSelection().whole(column), (b, out) -> {
                FieldVector v = b.vector(column);
                for (int r = 0, n = b.rows(); r < n; r++) {
                    if (v.isNull(r) == wantNull) {
                        set(out, r);
                    }
                }
            });
        }
    }

    /** {@code trace:duration}: the trace-level end minus start columns every search reads anyway. */
    static final class TraceDuration extends Term {
        private final ValueTest test;

        TraceDuration(ValueTest test) {
            this.test = test;
        }

        @Override
        Bound bind(SearchBatch batch) {
            return Bound.rows(new ColumnSelection(), (b, out) -> {
                BigIntVector start = b.vector(SpanColumns.TRACE_START_UNIX_NANO);
                BigIntVector end = b.vector(SpanColumns.TRACE_END_UNIX_NANO);
                for (int r = 0, n = b.rows(); r < n; r++) {
                    if (test.testLong(end.get(r) - start.get(r))) {
                        set(out, r);
                    }
                }
            });
        }
    }

    /** {@code trace:id}, {@code span:id} or {@code span:parentID} equal to a hex literal; a root's empty parent equals zero. */
    static final class IdEquals extends Term {
        private final String column;
        private final byte[] expected;
        private final TraceId traceId;
        private final boolean zero;

        IdEquals(String column, byte[] expected) {
            this.column = column;
            this.expected = expected;
            this.traceId = expected.length == 16 ? TraceId.fromBytes(expected) : null;
            boolean z = true;
            for (byte b : expected) {
                z &= b == 0;
            }
            this.zero = z;
        }

        @Override
        boolean mayMatch(BlockIndex.Batch batch) {
            return traceId == null || batch.covers(traceId);
        }

        @Override
        Bound bind(SearchBatch batch) {
            ColumnSelection fields = column.equals(SpanColumns.TRACE_ID) ? new ColumnSelection() : new ColumnSelection().whole(column);
            ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
            long first = e.getLong(0);
            long second = expected.length == 16 ? e.getLong(8) : 0;
            return Bound.rows(fields, (b, out) -> {
                FixedSizeBinaryVector v = b.vector(column);
                ArrowBuf data = v.getDataBuffer();
                int width = expected.length;
                boolean nullable = v.getNullCount() > 0;
                for (int r = 0, n = b.rows(); r < n; r++) {
                    boolean m;
                    if (nullable && v.isNull(r)) {
                        m = zero;
                    } else {
                        long at = (long) r * width;
                        m = data.getLong(at) == first && (width == 8 || data.getLong(at + 8) == second);
                    }
                    if (m) {
                        set(out, r);
                    }
                }
            });
        }
    }

    /** Where an attribute list sits: in the row, or in each event or link of the row. */
    enum Nesting {
        ROW(""),
        EVENTS("event.attributes."),
        LINKS("link.attributes.");

        /** Path prefix (inside the top-level column) of the attribute list's struct. */
        final String prefix;

        Nesting(String prefix) {
            this.prefix = prefix;
        }

        String path(String child) {
            return prefix + "attribute." + child;
        }

        /** The attribute list of a loaded top-level column. */
        ListVector attributes(ListVector top) {
            if (this == ROW) {
                return top;
            }
            return ((StructVector) top.getDataVector()).getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class);
        }
    }

    /** Runs {@code entries} over every list element of the nesting and sets the bits of the rows holding a match. */
    private static void forRows(Nesting nesting, ListVector top, long[] out, ParentTest test) throws IOException {
        ListVector attributes = nesting.attributes(top);
        int parents = attributes.getValueCount();
        if (nesting == Nesting.ROW) {
            for (int p = 0; p < parents; p++) {
                if (test.matches(attributes, p)) {
                    set(out, p);
                }
            }
            return;
        }
        int rows = top.getValueCount();
        for (int r = 0; r < rows; r++) {
            for (int e = top.getElementStartIndex(r), end = top.getElementEndIndex(r); e < end; e++) {
                if (test.matches(attributes, e)) {
                    set(out, r);
                    break;
                }
            }
        }
    }

    @FunctionalInterface
    private interface ParentTest {
        boolean matches(ListVector attributes, int parent) throws IOException;
    }

    /** A value test on a generic attribute list: some entry with the key has a matching value. */
    static final class AttributeList extends Term {
        private final String column;
        private final String dictionary;
        private final Nesting nesting;
        private final byte[] key;
        private final ValueTest test;
        private final Function<BlockIndex.Batch, BlockIndex.Dictionary> indexValues;

        AttributeList(String column, Nesting nesting, String key, ValueTest test,
                Function<BlockIndex.Batch, BlockIndex.Dictionary> indexValues) {
            this.column = column;
            this.dictionary = SpanColumns.dictionaryOf(column);
            this.nesting = nesting;
            this.key = key.getBytes(StandardCharsets.UTF_8);
            this.test = test;
            this.indexValues = indexValues;
        }

        @Override
        boolean mayMatch(BlockIndex.Batch batch) {
            return indexValues == null || anySatisfies(indexValues.apply(batch), test);
        }

        @Override
        void dictionaries(Set<String> out) {
            out.add(dictionary);
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            DictionaryColumn dict = batch.dictionary(dictionary);
            int k = dict.find(key);
            if (k < 0) {
                return Bound.FALSE; // no entry of the batch has the key
            }
            CodeMatcher strings = test.isString() ? new CodeMatcher(dict, test) : null;
            // What the batch's entries can match by type, from the metadata's null counts: strings by
            // dictionary, numbers and bools if the list holds any, arrays (and the "may match" kvlists
            // and bytes) if it holds any value in the bytes child.
            boolean anyString = strings != null && strings.any();
            boolean numeric = test.isNumeric() && (batch.valueCount(column, nesting.path(SpanColumns.ATTR_INT)) > 0
                    || batch.valueCount(column, nesting.path(SpanColumns.ATTR_DOUBLE)) > 0);
            boolean bool = test.isBool() && batch.valueCount(column, nesting.path(SpanColumns.ATTR_BOOL)) > 0;
            boolean opaque = batch.valueCount(column, nesting.path(SpanColumns.ATTR_BYTES)) > 0;
            if (!anyString && !numeric && !bool) {
                if (!opaque) {
                    return Bound.FALSE;
                }
                // Only arrays (or kvlists, bytes) could match, and the batch holds some under some key:
                // read the key and type children first, the values only if one of them has this key.
                ColumnSelection probe = new ColumnSelection().paths(column, nesting.path(SpanColumns.ATTR_KEY),
                        nesting.path(SpanColumns.ATTR_TYPE));
                return Bound.pending(probe, b -> hasOpaque(b, k) ? rows(k, null, false, false, false, true) : Bound.FALSE);
            }
            return rows(k, strings, anyString, numeric, bool, opaque);
        }

        /** Whether some entry with key code {@code k} holds an array, a kvlist or bytes (probe fields loaded). */
        private boolean hasOpaque(SearchBatch b, int k) {
            StructVector struct = (StructVector) nesting.attributes(b.vector(column)).getDataVector();
            IntVector keys = struct.getChild(SpanColumns.ATTR_KEY, IntVector.class);
            ArrowBuf types = struct.getChild(SpanColumns.ATTR_TYPE, TinyIntVector.class).getDataBuffer();
            for (int e = 0, n = keys.getValueCount(); e < n; e++) {
                if (keys.getDataBuffer().getInt((long) e * 4) == k) {
                    byte t = types.getByte(e);
                    if (t == SpanColumns.TYPE_ARRAY || t == SpanColumns.TYPE_KVLIST || t == SpanColumns.TYPE_BYTES) {
                        return true;
                    }
                }
            }
            return false;
        }

        private Bound rows(int k, CodeMatcher strings, boolean anyString, boolean numeric, boolean bool, boolean opaque) {
            ColumnSelection fields = new ColumnSelection().paths(column, nesting.path(SpanColumns.ATTR_KEY),
                    nesting.path(SpanColumns.ATTR_TYPE));
            if (anyString) {
                fields.paths(column, nesting.path(SpanColumns.ATTR_STR));
            }
            if (numeric) {
                fields.paths(column, nesting.path(SpanColumns.ATTR_INT), nesting.path(SpanColumns.ATTR_DOUBLE));
            }
            if (bool) {
                fields.paths(column, nesting.path(SpanColumns.ATTR_BOOL));
            }
            if (opaque) {
                fields.paths(column, nesting.path(SpanColumns.ATTR_BYTES));
            }
            return Bound.rows(fields, (b, out) -> forRows(nesting, b.vector(column), out, new ParentTest() {
                private StructVector struct;
                private ArrowBuf keys;
                private ArrowBuf types;

                @Override
                public boolean matches(ListVector attributes, int p) throws IOException {
                    if (struct == null) {
                        struct = (StructVector) attributes.getDataVector();
                        keys = struct.getChild(SpanColumns.ATTR_KEY, IntVector.class).getDataBuffer();
                        types = struct.getChild(SpanColumns.ATTR_TYPE, TinyIntVector.class).getDataBuffer();
                    }
                    for (int e = attributes.getElementStartIndex(p), end = attributes.getElementEndIndex(p); e < end; e++) {
                        if (keys.getInt((long) e * 4) != k) {
                            continue;
                        }
                        boolean m = switch (types.getByte(e)) {
                            case SpanColumns.TYPE_STRING -> anyString
                                    && strings.matches(struct.getChild(SpanColumns.ATTR_STR, IntVector.class).getDataBuffer().getInt((long) e * 4));
                            case SpanColumns.TYPE_BOOL -> bool && test.testBool(struct.getChild(SpanColumns.ATTR_BOOL, BitVector.class).get(e) != 0);
                            case SpanColumns.TYPE_INT -> numeric
                                    && test.testLong(struct.getChild(SpanColumns.ATTR_INT, BigIntVector.class).getDataBuffer().getLong((long) e * 8));
                            case SpanColumns.TYPE_DOUBLE -> numeric
                                    && test.testDouble(struct.getChild(SpanColumns.ATTR_DOUBLE, Float8Vector.class).getDataBuffer().getDouble((long) e * 8));
                            case SpanColumns.TYPE_ARRAY -> opaque
                                    && test.testArray(struct.getChild(SpanColumns.ATTR_BYTES, VarBinaryVector.class).get(e));
                            // kvlists and bytes: how TraceQL compares them is not defined; may match.
                            case SpanColumns.TYPE_KVLIST, SpanColumns.TYPE_BYTES -> true;
                            // No value, or a string-table index (OTLP profiles; a trace has no table to resolve it): nil.
                            default -> false;
                        };
                        if (m) {
                            return true;
                        }
                    }
                    return false;
                }
            }));
        }
    }

    /**
     * Presence of a key in a generic attribute list: {@code != nil} when some entry has the key;
     * {@code = nil} when no entry has it with a value (an entry without value, or with an empty
     * or non-scalar value, counts as both present and absent: may match).
     */
    static final class Presence extends Term {
        private final String column;
        private final String dictionary;
        private final Nesting nesting;
        private final byte[] key;
        private final boolean present;

        Presence(String column, Nesting nesting, String key, boolean present) {
            this.column = column;
            this.dictionary = SpanColumns.dictionaryOf(column);
            this.nesting = nesting;
            this.key = key.getBytes(StandardCharsets.UTF_8);
            this.present = present;
        }

        @Override
        void dictionaries(Set<String> out) {
            out.add(dictionary);
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            int k = batch.dictionary(dictionary).find(key);
            if (k < 0) {
                return Bound.of(!present);
            }
            ColumnSelection fields = new ColumnSelection().paths(column, nesting.path(SpanColumns.ATTR_KEY), nesting.path(SpanColumns.ATTR_TYPE));
            return Bound.rows(fields, (b, out) -> forRows(nesting, b.vector(column), out, (attributes, p) -> {
                StructVector struct = (StructVector) attributes.getDataVector();
                ArrowBuf keys = struct.getChild(SpanColumns.ATTR_KEY, IntVector.class).getDataBuffer();
                ArrowBuf types = struct.getChild(SpanColumns.ATTR_TYPE, TinyIntVector.class).getDataBuffer();
                for (int e = attributes.getElementStartIndex(p), end = attributes.getElementEndIndex(p); e < end; e++) {
                    if (keys.getInt((long) e * 4) == k) {
                        if (present) {
                            return true;
                        }
                        byte t = types.getByte(e);
                        if (t >= SpanColumns.TYPE_STRING && t <= SpanColumns.TYPE_ARRAY) {
                            return false; // has a value: not nil
                        }
                    }
                }
                return !present;
            }));
        }
    }

    /** {@code event:name}: some event of the span has a matching name. */
    static final class EventName extends Term {
        private final ValueTest test;

        EventName(ValueTest test) {
            this.test = test;
        }

        @Override
        void dictionaries(Set<String> out) {
            out.add(SpanColumns.EVENTS_DICTIONARY);
        }

        @Override
        Bound bind(SearchBatch batch) throws IOException {
            CodeMatcher names = new CodeMatcher(batch.dictionary(SpanColumns.EVENTS_DICTIONARY), test);
            if (!names.any()) {
                return Bound.FALSE;
            }
            ColumnSelection fields = new ColumnSelection().paths(SpanColumns.EVENTS, "event." + SpanColumns.EVENT_NAME);
            return Bound.rows(fields, (b, out) -> {
                ListVector events = b.vector(SpanColumns.EVENTS);
                ArrowBuf codes = ((StructVector) events.getDataVector()).getChild(SpanColumns.EVENT_NAME, IntVector.class).getDataBuffer();
                for (int r = 0, n = b.rows(); r < n; r++) {
                    for (int e = events.getElementStartIndex(r), end = events.getElementEndIndex(r); e < end; e++) {
                        if (names.matches(codes.getInt((long) e * 4))) {
                            set(out, r);
                            break;
                        }
                    }
                }
            });
        }
    }
}
