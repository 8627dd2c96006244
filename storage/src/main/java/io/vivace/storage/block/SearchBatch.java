package io.vivace.storage.block;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * One record batch while a search evaluates it: first its dictionaries (and message metadata) are
 * loaded, then maybe a few probe fields, then the fields the remaining conditions read. Holds Arrow
 * memory until closed.
 */
final class SearchBatch implements AutoCloseable {
    private final BatchBytes bytes;
    private final BufferAllocator alloc;
    private final Map<String, DictionaryColumn> dictionaries = new HashMap<>();
    private VectorSchemaRoot dictionaryRoot;
    private VectorSchemaRoot probeRoot;
    private VectorSchemaRoot dataRoot;

    SearchBatch(BatchBytes bytes, BufferAllocator alloc) {
        this.bytes = bytes;
        this.alloc = alloc;
    }

    BatchBytes bytes() {
        return bytes;
    }

    /** Rows of the batch. */
    int rows() {
        return bytes.batch().rows();
    }

    /** Fetches the metadata and the dictionary columns {@code names} (whole) and loads the dictionaries. */
    void loadDictionaries(Set<String> names) throws IOException {
        bytes.fetchColumns(names);
        if (!names.isEmpty()) {
            dictionaryRoot = bytes.load(new ColumnSelection().whole(names.toArray(String[]::new)), alloc);
        }
    }

    /** A dictionary loaded by {@link #loadDictionaries}. */
    DictionaryColumn dictionary(String name) {
        return dictionaries.computeIfAbsent(name, n -> {
            FieldVector v = dictionaryRoot == null ? null : dictionaryRoot.getVector(n);
            if (v == null) {
                throw new IllegalStateException("dictionary " + n + " was not loaded");
            }
            return new DictionaryColumn((ListVector) v);
        });
    }

    /** Null count of a top-level column, from the message metadata. */
    long nullCount(String column) throws IOException {
        return bytes.nullCount(column);
    }

    /** Non-null values of a nested field, from the message metadata. */
    long valueCount(String column, String path) throws IOException {
        return bytes.valueCount(column, path);
    }

    /** Loads a few fields that decide whether the costlier ones are needed (see {@link SpanConditions.Bound#probe}). */
    void loadProbe(ColumnSelection selection) throws IOException {
        if (probeRoot != null) {
            probeRoot.close();
        }
        probeRoot = bytes.load(selection, alloc);
    }

    /** Loads the selected fields (fetching the missing buffers). */
    void loadData(ColumnSelection selection) throws IOException {
        if (dataRoot != null) {
            dataRoot.close();
        }
        dataRoot = bytes.load(selection, alloc);
    }

    /** A column loaded by {@link #loadData}, or else by {@link #loadProbe}. */
    @SuppressWarnings("unchecked")
    <V extends FieldVector> V vector(String column) {
        FieldVector v = dataRoot == null ? null : dataRoot.getVector(column);
        if (v == null && probeRoot != null) {
            v = probeRoot.getVector(column);
        }
        if (v == null) {
            throw new IllegalStateException("column " + column + " was not loaded");
        }
        return (V) v;
    }

    @Override
    public void close() {
        if (dataRoot != null) {
            dataRoot.close();
            dataRoot = null;
        }
        if (probeRoot != null) {
            probeRoot.close();
            probeRoot = null;
        }
        if (dictionaryRoot != null) {
            dictionaryRoot.close();
            dictionaryRoot = null;
        }
    }
}
