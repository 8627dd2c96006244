package io.vivace.model.wire;

import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the resources, scopes and spans of one scanned OTLP request lie in its bytes (see
 * {@link OtlpWireScanner#scan}). It validates span IDs ({@link #firstIdProblem()}) and splits the
 * request by trace ({@link #splitByTrace()}) by copying byte ranges, never building span objects.
 * Not thread-safe; it refers to the scanned array, which must not change while it is used.
 */
public final class OtlpWireBatch {
    private static final int TAG_1 = (1 << 3) | 2;
    private static final int TAG_2 = (2 << 3) | 2;
    private static final int TAG_3 = (3 << 3) | 2;

    private final byte[] data;

    // Byte ranges (a resource or scope field may occur more than once; protobuf merges occurrences,
    // and so does concatenating their encodings), as linked lists.
    private int[] rangeOff = new int[16];
    private int[] rangeLen = new int[16];
    private int[] rangeNext = new int[16];
    private int ranges;

    private int resources;
    private int[] resHead = new int[4];
    private int[] resTail = new int[4];
    private int[] resBytes = new int[4];
    private int[] resSchemaOff = new int[4];
    private int[] resSchemaLen = new int[4];

    private int scopes;
    private int[] scopeResource = new int[8];
    private int[] scopeHead = new int[8];
    private int[] scopeTail = new int[8];
    private int[] scopeBytes = new int[8];
    private int[] scopeSchemaOff = new int[8];
    private int[] scopeSchemaLen = new int[8];

    private int spans;
    private int[] spanScope = new int[64];
    private int[] spanOff = new int[64];
    private int[] spanLen = new int[64];
    private int[] traceIdOff = new int[64];
    private int[] traceIdLen = new int[64];
    private int[] spanIdOff = new int[64];
    private int[] spanIdLen = new int[64];
    private int[] parentLen = new int[64];
    private long[] spanStart = new long[64];
    private long[] spanEnd = new long[64];

    // Filled by group().
    private boolean grouped;
    private int[] spanTrace;
    private int[] nextInTrace;
    private int traces;
    private long[] traceHi;
    private long[] traceLo;
    private int[] traceFirst;
    private int[] traceLast;
    private int[] traceSpans;
    private long[] traceSpanBytes;

    OtlpWireBatch(byte[] data) {
        this.data = data;
    }

    // ---- building (by the scanner) ----

    int addResource() {
        if (resources == resHead.length) {
            int n = resources * 2;
            resHead = Arrays.copyOf(resHead, n);
            resTail = Arrays.copyOf(resTail, n);
            resBytes = Arrays.copyOf(resBytes, n);
            resSchemaOff = Arrays.copyOf(resSchemaOff, n);
            resSchemaLen = Arrays.copyOf(resSchemaLen, n);
        }
        resHead[resources] = -1;
        resTail[resources] = -1;
        resBytes[resources] = 0;
        resSchemaOff[resources] = 0;
        resSchemaLen[resources] = 0;
        return resources++;
    }

    void addResourceRange(int resource, int off, int len) {
        int r = addRange(off, len);
        if (resHead[resource] < 0) {
            resHead[resource] = r;
        } else {
            rangeNext[resTail[resource]] = r;
        }
        resTail[resource] = r;
        resBytes[resource] += len;
    }

    void setResourceSchemaUrl(int resource, int off, int len) {
        resSchemaOff[resource] = off;
        resSchemaLen[resource] = len;
    }

    int addScope(int resource) {
        if (scopes == scopeHead.length) {
            int n = scopes * 2;
            scopeResource = Arrays.copyOf(scopeResource, n);
            scopeHead = Arrays.copyOf(scopeHead, n);
            scopeTail = Arrays.copyOf(scopeTail, n);
            scopeBytes = Arrays.copyOf(scopeBytes, n);
            scopeSchemaOff = Arrays.copyOf(scopeSchemaOff, n);
            scopeSchemaLen = Arrays.copyOf(scopeSchemaLen, n);
        }
        scopeResource[scopes] = resource;
        scopeHead[scopes] = -1;
        scopeTail[scopes] = -1;
        scopeBytes[scopes] = 0;
        scopeSchemaOff[scopes] = 0;
        scopeSchemaLen[scopes] = 0;
        return scopes++;
    }

    void addScopeRange(int scope, int off, int len) {
        int r = addRange(off, len);
        if (scopeHead[scope] < 0) {
            scopeHead[scope] = r;
        } else {
            rangeNext[scopeTail[scope]] = r;
        }
        scopeTail[scope] = r;
        scopeBytes[scope] += len;
    }

    void setScopeSchemaUrl(int scope, int off, int len) {
        scopeSchemaOff[scope] = off;
        scopeSchemaLen[scope] = len;
    }

    private int addRange(int off, int len) {
        if (ranges == rangeOff.length) {
            int n = ranges * 2;
            rangeOff = Arrays.copyOf(rangeOff, n);
            rangeLen = Arrays.copyOf(rangeLen, n);
            rangeNext = Arrays.copyOf(rangeNext, n);
        }
        rangeOff[ranges] = off;
        rangeLen[ranges] = len;
        rangeNext[ranges] = -1;
        return ranges++;
    }

    void addSpan(int scope, int off, int len, int tidOff, int tidLen, int sidOff, int sidLen, int pLen, long start, long end) {
        if (spans == spanOff.length) {
            int n = spans * 2;
            spanScope = Arrays.copyOf(spanScope, n);
            spanOff = Arrays.copyOf(spanOff, n);
            spanLen = Arrays.copyOf(spanLen, n);
            traceIdOff = Arrays.copyOf(traceIdOff, n);
            traceIdLen = Arrays.copyOf(traceIdLen, n);
            spanIdOff = Arrays.copyOf(spanIdOff, n);
            spanIdLen = Arrays.copyOf(spanIdLen, n);
            parentLen = Arrays.copyOf(parentLen, n);
            spanStart = Arrays.copyOf(spanStart, n);
            spanEnd = Arrays.copyOf(spanEnd, n);
        }
        spanScope[spans] = scope;
        spanOff[spans] = off;
        spanLen[spans] = len;
        traceIdOff[spans] = tidOff;
        traceIdLen[spans] = tidLen;
        spanIdOff[spans] = sidOff;
        spanIdLen[spans] = sidLen;
        parentLen[spans] = pLen;
        spanStart[spans] = start;
        spanEnd[spans] = end;
        spans++;
    }

    // ---- reading ----

    /** Number of spans in the request. */
    public int spanCount() {
        return spans;
    }

    /** Serialized size of span {@code i} (request order), as protobuf's {@code getSerializedSize()}. */
    public int spanSize(int i) {
        return spanLen[i];
    }

    /** A span whose IDs the distributor refuses: which ID is wrong and the message it answers with. */
    public record IdProblem(boolean traceId, String message) {}

    /**
     * The first span (in request order) whose IDs are invalid by the distributor's rules, or
     * {@code null}: trace ID exactly 16 bytes and not all zero, span ID exactly 8 bytes and not all
     * zero, parent span ID empty or 8 bytes. The messages are Tempo's.
     */
    public IdProblem firstIdProblem() {
        for (int i = 0; i < spans; i++) {
            int tl = traceIdLen[i];
            if (tl != TraceId.BYTES) {
                return new IdProblem(true, "trace ids must be 128 bit, received " + tl * 8 + " bits");
            }
            if (allZero(traceIdOff[i], tl)) {
                return new IdProblem(true, "trace ids must be 128 bit and not all zero, received an all-zero trace id");
            }
            int sl = spanIdLen[i];
            if (sl != 8 || allZero(spanIdOff[i], sl)) {
                return new IdProblem(false, "span ids must be 64 bit and not all zero, received " + sl * 8 + " bits");
            }
            int pl = parentLen[i];
            if (pl != 0 && pl != 8) {
                return new IdProblem(false, "parent span ids must be empty or 64 bit, received " + pl * 8 + " bits");
            }
        }
        return null;
    }

    private boolean allZero(int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Number of distinct trace IDs (IDs shorter than 16 bytes count as left-padded with zeros).
     *
     * @throws IllegalArgumentException when a trace ID is longer than 16 bytes
     */
    public int traceCount() {
        group();
        return traces;
    }

    /** Index (in first-seen order, below {@link #traceCount()}) of span {@code i}'s trace. */
    public int spanTrace(int i) {
        group();
        return spanTrace[i];
    }

    /** The ID of trace {@code t}. */
    public TraceId traceId(int t) {
        group();
        return new TraceId(traceHi[t], traceLo[t]);
    }

    /** Sum of the serialized sizes of trace {@code t}'s spans. */
    public long traceSpanBytes(int t) {
        group();
        return traceSpanBytes[t];
    }

    /**
     * One trace's part of the request.
     *
     * @param id the trace ID
     * @param bytes its {@code ResourceSpans}, each encoded as {@code TracesData} field 1 (tag, length,
     *     bytes) — exactly what re-encoding {@code Traces.splitByTrace}'s pieces gives
     * @param spanCount number of spans
     * @param startUnixNanos smallest span start ({@code 0} when there are no spans)
     * @param endUnixNanos largest span end (at least {@code 0})
     */
    public record TraceChunk(TraceId id, byte[] bytes, int spanCount, long startUnixNanos, long endUnixNanos) {}

    /**
     * Splits the request by trace, in first-seen order, as {@code Traces.splitByTrace} does: each
     * resource's spans of a trace become one {@code ResourceSpans} with the resource and its schema
     * URL, holding one {@code ScopeSpans} (scope and schema URL) per scope that has spans of the trace.
     *
     * @throws IllegalArgumentException when a trace ID is longer than 16 bytes
     */
    public List<TraceChunk> splitByTrace() {
        group();
        List<TraceChunk> out = new ArrayList<>(traces);
        for (int t = 0; t < traces; t++) {
            int size = 0;
            long start = Long.MAX_VALUE;
            long end = 0;
            for (int s = traceFirst[t]; s >= 0; ) {
                int r = scopeResource[spanScope[s]];
                int payload = resourcePayloadSize(s, r);
                size += 1 + varintSize(payload) + payload;
                while (s >= 0 && scopeResource[spanScope[s]] == r) {
                    start = Math.min(start, spanStart[s]);
                    end = Math.max(end, spanEnd[s]);
                    s = nextInTrace[s];
                }
            }
            byte[] bytes = new byte[size];
            int p = 0;
            for (int s = traceFirst[t]; s >= 0; ) {
                int r = scopeResource[spanScope[s]];
                bytes[p++] = TAG_1;
                p = writeVarint(bytes, p, resourcePayloadSize(s, r));
                bytes[p++] = TAG_1;
                p = writeVarint(bytes, p, resBytes[r]);
                p = copyRanges(resHead[r], bytes, p);
                while (s >= 0 && scopeResource[spanScope[s]] == r) {
                    int sc = spanScope[s];
                    bytes[p++] = TAG_2;
                    p = writeVarint(bytes, p, scopePayloadSize(s, sc));
                    bytes[p++] = TAG_1;
                    p = writeVarint(bytes, p, scopeBytes[sc]);
                    p = copyRanges(scopeHead[sc], bytes, p);
                    while (s >= 0 && spanScope[s] == sc) {
                        bytes[p++] = TAG_2;
                        p = writeVarint(bytes, p, spanLen[s]);
                        System.arraycopy(data, spanOff[s], bytes, p, spanLen[s]);
                        p += spanLen[s];
                        s = nextInTrace[s];
                    }
                    p = writeString(bytes, p, scopeSchemaOff[sc], scopeSchemaLen[sc]);
                }
                p = writeString(bytes, p, resSchemaOff[r], resSchemaLen[r]);
            }
            if (p != size) {
                throw new IllegalStateException("trace chunk size " + p + " != computed " + size + " (a bug)");
            }
            out.add(new TraceChunk(new TraceId(traceHi[t], traceLo[t]), bytes, traceSpans[t],
                    start == Long.MAX_VALUE ? 0 : start, end));
        }
        return out;
    }

    /** Size of the ResourceSpans payload for the run of spans of one trace starting at span {@code s} in resource {@code r}. */
    private int resourcePayloadSize(int s, int r) {
        int size = 1 + varintSize(resBytes[r]) + resBytes[r] + stringFieldSize(resSchemaLen[r]);
        while (s >= 0 && scopeResource[spanScope[s]] == r) {
            int sc = spanScope[s];
            int payload = scopePayloadSize(s, sc);
            size += 1 + varintSize(payload) + payload;
            while (s >= 0 && spanScope[s] == sc) {
                s = nextInTrace[s];
            }
        }
        return size;
    }

    private int scopePayloadSize(int s, int sc) {
        int size = 1 + varintSize(scopeBytes[sc]) + scopeBytes[sc] + stringFieldSize(scopeSchemaLen[sc]);
        while (s >= 0 && spanScope[s] == sc) {
            size += 1 + varintSize(spanLen[s]) + spanLen[s];
            s = nextInTrace[s];
        }
        return size;
    }

    private static int stringFieldSize(int len) {
        return len == 0 ? 0 : 1 + varintSize(len) + len;
    }

    private int writeString(byte[] out, int p, int off, int len) {
        if (len == 0) {
            return p;
        }
        out[p++] = TAG_3;
        p = writeVarint(out, p, len);
        System.arraycopy(data, off, out, p, len);
        return p + len;
    }

    private int copyRanges(int r, byte[] out, int p) {
        for (; r >= 0; r = rangeNext[r]) {
            System.arraycopy(data, rangeOff[r], out, p, rangeLen[r]);
            p += rangeLen[r];
        }
        return p;
    }

    private static int varintSize(int v) {
        if ((v & (~0 << 7)) == 0) {
            return 1;
        }
        if ((v & (~0 << 14)) == 0) {
            return 2;
        }
        if ((v & (~0 << 21)) == 0) {
            return 3;
        }
        if ((v & (~0 << 28)) == 0) {
            return 4;
        }
        return 5;
    }

    private static int writeVarint(byte[] out, int p, int v) {
        while ((v & ~0x7F) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private void group() {
        if (grouped) {
            return;
        }
        spanTrace = new int[spans];
        nextInTrace = new int[spans];
        int cap = Math.max(16, Integer.highestOneBit(Math.max(1, spans)) * 2);
        int[] table = new int[cap];
        Arrays.fill(table, -1);
        int initial = Math.max(4, Math.min(spans, 64));
        traceHi = new long[initial];
        traceLo = new long[initial];
        traceFirst = new int[initial];
        traceLast = new int[initial];
        traceSpans = new int[initial];
        traceSpanBytes = new long[initial];
        for (int i = 0; i < spans; i++) {
            int len = traceIdLen[i];
            if (len > TraceId.BYTES) {
                throw new IllegalArgumentException("trace IDs can't be larger than 128 bits, received " + len * 8 + " bits");
            }
            long hi = 0;
            long lo = 0;
            int pad = TraceId.BYTES - len;
            int off = traceIdOff[i] - pad;
            for (int k = 0; k < TraceId.BYTES; k++) {
                long b = k < pad ? 0 : data[off + k] & 0xFF;
                if (k < 8) {
                    hi = (hi << 8) | b;
                } else {
                    lo = (lo << 8) | b;
                }
            }
            int mask = cap - 1;
            long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
            int slot = (int) (h ^ (h >>> 32)) & mask;
            int t;
            while (true) {
                t = table[slot];
                if (t < 0) {
                    t = newTrace(hi, lo);
                    table[slot] = t;
                    traceFirst[t] = i;
                    break;
                }
                if (traceHi[t] == hi && traceLo[t] == lo) {
                    nextInTrace[traceLast[t]] = i;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            spanTrace[i] = t;
            nextInTrace[i] = -1;
            traceLast[t] = i;
            traceSpans[t]++;
            traceSpanBytes[t] += spanLen[i];
        }
        grouped = true;
    }

    private int newTrace(long hi, long lo) {
        if (traces == traceHi.length) {
            int n = traces * 2;
            traceHi = Arrays.copyOf(traceHi, n);
            traceLo = Arrays.copyOf(traceLo, n);
            traceFirst = Arrays.copyOf(traceFirst, n);
            traceLast = Arrays.copyOf(traceLast, n);
            traceSpans = Arrays.copyOf(traceSpans, n);
            traceSpanBytes = Arrays.copyOf(traceSpanBytes, n);
        }
        traceHi[traces] = hi;
        traceLo[traces] = lo;
        traceSpans[traces] = 0;
        traceSpanBytes[traces] = 0;
        return traces++;
    }
}
