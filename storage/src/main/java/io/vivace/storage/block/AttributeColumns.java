package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Writes and reads one {@code List<Struct<key, type, str, int, double, bool, bytes>>} attribute
 * column. Only the value child of the attribute's type is set; the others stay null, which costs a
 * validity bit each and compresses to nearly nothing.
 */
final class AttributeColumns {
    private final ListVector list;
    private final StructVector struct;
    private final IntVector key;
    private final TinyIntVector type;
    private final IntVector str;
    private final BigIntVector intValue;
    private final Float8Vector doubleValue;
    private final BitVector boolValue;
    private final VarBinaryVector bytes;
    private final DictionaryColumn dictionary;
    /**
     * Key codes of the batch by position in the list: instrumentation emits the same keys in the
     * same order span after span, so a String comparison (usually an identity check) replaces a
     * dictionary lookup (exact: keys are proto3 strings, valid UTF-8, so equal Strings mean equal
     * bytes). Cleared with the batch, since codes are per batch.
     */
    private final String[] lastKeys = new String[16];
    private final int[] lastKeyCodes = new int[16];
    private int next;
    private int open;

    AttributeColumns(ListVector list, DictionaryColumn dictionary) {
        this.list = list;
        this.struct = (StructVector) list.getDataVector();
        this.key = struct.getChild(SpanColumns.ATTR_KEY, IntVector.class);
        this.type = struct.getChild(SpanColumns.ATTR_TYPE, TinyIntVector.class);
        this.str = struct.getChild(SpanColumns.ATTR_STR, IntVector.class);
        this.intValue = struct.getChild(SpanColumns.ATTR_INT, BigIntVector.class);
        this.doubleValue = struct.getChild(SpanColumns.ATTR_DOUBLE, Float8Vector.class);
        this.boolValue = struct.getChild(SpanColumns.ATTR_BOOL, BitVector.class);
        this.bytes = struct.getChild(SpanColumns.ATTR_BYTES, VarBinaryVector.class);
        this.dictionary = dictionary;
        dictionary.addCodes(key, () -> next);
        dictionary.addCodes(str, () -> next);
    }

    /** Starts the list of {@code parent} (a row, or an event/link index for nested lists). */
    void start(int parent) {
        list.startNewValue(parent);
        open = 0;
    }

    /** Ends the list of {@code parent}. */
    void end(int parent) {
        list.endValue(parent, open);
    }

    /** Writes all of {@code attributes} as the list of {@code parent}. */
    void writeAll(int parent, List<KeyValue> attributes) {
        start(parent);
        for (int i = 0, n = attributes.size(); i < n; i++) {
            add(attributes.get(i));
        }
        end(parent);
    }

    /** Appends one attribute to the open list. */
    void add(KeyValue kv) {
        int i = next++;
        open++;
        struct.setIndexDefined(i);
        int pos = open - 1;
        int keyCode;
        if (pos < lastKeys.length) {
            String k = kv.getKey();
            if (k.equals(lastKeys[pos])) {
                keyCode = lastKeyCodes[pos];
            } else {
                keyCode = dictionary.code(kv.getKeyBytes());
                lastKeys[pos] = k;
                lastKeyCodes[pos] = keyCode;
            }
        } else {
            keyCode = dictionary.code(kv.getKeyBytes());
        }
        key.setSafe(i, keyCode);
        if (!kv.hasValue()) {
            type.setSafe(i, SpanColumns.TYPE_ABSENT);
            return;
        }
        AnyValue v = kv.getValue();
        switch (v.getValueCase()) {
            case STRING_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_STRING);
                str.setSafe(i, dictionary.code(v.getStringValueBytes()));
            }
            case BOOL_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_BOOL);
                boolValue.setSafe(i, v.getBoolValue() ? 1 : 0);
            }
            case INT_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_INT);
                intValue.setSafe(i, v.getIntValue());
            }
            case DOUBLE_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_DOUBLE);
                doubleValue.setSafe(i, v.getDoubleValue());
            }
            case ARRAY_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_ARRAY);
                setBinary(i, v.getArrayValue().toByteString());
            }
            case KVLIST_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_KVLIST);
                setBinary(i, v.getKvlistValue().toByteString());
            }
            case BYTES_VALUE -> {
                type.setSafe(i, SpanColumns.TYPE_BYTES);
                setBinary(i, v.getBytesValue());
            }
            case STRING_VALUE_STRINDEX -> {
                type.setSafe(i, SpanColumns.TYPE_STRINDEX);
                intValue.setSafe(i, v.getStringValueStrindex());
            }
            case VALUE_NOT_SET -> type.setSafe(i, SpanColumns.TYPE_EMPTY);
        }
    }

    private void setBinary(int i, ByteString b) {
        bytes.setSafe(i, b.toByteArray());
    }

    /** Forgets the previous batch's entries (the vectors themselves are reset by the caller). */
    void reset() {
        next = 0;
        java.util.Arrays.fill(lastKeys, null);
    }

    /** Reads the attributes of {@code parent} and appends them through {@code sink}. */
    void read(int parent, AttributeSink sink) throws IOException {
        int from = list.getElementStartIndex(parent);
        int to = list.getElementEndIndex(parent);
        for (int i = from; i < to; i++) {
            sink.accept(readOne(i));
        }
    }

    /** Whether the lists of {@code a} and {@code b} hold the same attributes (so decode to equal messages). */
    boolean sameList(int a, int b) {
        int fromA = list.getElementStartIndex(a);
        int fromB = list.getElementStartIndex(b);
        int n = list.getElementEndIndex(a) - fromA;
        if (n != list.getElementEndIndex(b) - fromB) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int x = fromA + i;
            int y = fromB + i;
            byte t = type.get(x);
            if (key.get(x) != key.get(y) || t != type.get(y)) {
                return false;
            }
            boolean same = switch (t) {
                case SpanColumns.TYPE_STRING -> str.get(x) == str.get(y);
                case SpanColumns.TYPE_BOOL -> boolValue.get(x) == boolValue.get(y);
                case SpanColumns.TYPE_INT, SpanColumns.TYPE_STRINDEX -> intValue.get(x) == intValue.get(y);
                case SpanColumns.TYPE_DOUBLE -> Double.doubleToRawLongBits(doubleValue.get(x)) == Double.doubleToRawLongBits(doubleValue.get(y));
                case SpanColumns.TYPE_ARRAY, SpanColumns.TYPE_KVLIST, SpanColumns.TYPE_BYTES -> Arrays.equals(bytes.get(x), bytes.get(y));
                default -> true; // no value
            };
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** The attribute at child index {@code i}. */
    KeyValue readOne(int i) throws IOException {
        KeyValue.Builder kv = KeyValue.newBuilder().setKeyBytes(dictionary.value(key.get(i)));
        byte t = type.get(i);
        switch (t) {
            case SpanColumns.TYPE_ABSENT -> {
                return kv.build();
            }
            case SpanColumns.TYPE_STRING -> kv.setValue(AnyValue.newBuilder().setStringValueBytes(dictionary.value(str.get(i))));
            case SpanColumns.TYPE_BOOL -> kv.setValue(AnyValue.newBuilder().setBoolValue(boolValue.get(i) != 0));
            case SpanColumns.TYPE_INT -> kv.setValue(AnyValue.newBuilder().setIntValue(intValue.get(i)));
            case SpanColumns.TYPE_DOUBLE -> kv.setValue(AnyValue.newBuilder().setDoubleValue(doubleValue.get(i)));
            case SpanColumns.TYPE_ARRAY -> kv.setValue(AnyValue.newBuilder().setArrayValue(parseArray(bytes.get(i))));
            case SpanColumns.TYPE_KVLIST -> kv.setValue(AnyValue.newBuilder().setKvlistValue(parseKvList(bytes.get(i))));
            case SpanColumns.TYPE_BYTES -> kv.setValue(AnyValue.newBuilder().setBytesValue(wrap(bytes.get(i))));
            case SpanColumns.TYPE_STRINDEX -> kv.setValue(AnyValue.newBuilder().setStringValueStrindex((int) intValue.get(i)));
            case SpanColumns.TYPE_EMPTY -> kv.setValue(AnyValue.getDefaultInstance());
            default -> throw new IOException("attribute type: " + t + " (expected: 0..9); the block is corrupt or newer");
        }
        return kv.build();
    }

    private static ArrayValue parseArray(byte[] b) throws InvalidProtocolBufferException {
        return ArrayValue.parseFrom(b);
    }

    private static KeyValueList parseKvList(byte[] b) throws InvalidProtocolBufferException {
        return KeyValueList.parseFrom(b);
    }

    static ByteString wrap(byte[] b) {
        // The array is ours (freshly copied out of Arrow memory): no need for a defensive copy.
        return UnsafeByteOperations.unsafeWrap(b);
    }

    /** Receives decoded attributes. */
    @FunctionalInterface
    interface AttributeSink {
        void accept(KeyValue kv);
    }

    /** A reusable byte array for moving protobuf bytes into Arrow vectors without allocating. */
    static final class Scratch {
        private byte[] buf = new byte[256];

        void setUtf8(org.apache.arrow.vector.VarCharVector v, int index, ByteString s) {
            int n = s.size();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
            s.copyTo(buf, 0);
            v.setSafe(index, buf, 0, n);
        }

        void setBinary(org.apache.arrow.vector.VarBinaryVector v, int index, ByteString s) {
            int n = s.size();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
            s.copyTo(buf, 0);
            v.setSafe(index, buf, 0, n);
        }
    }
}
