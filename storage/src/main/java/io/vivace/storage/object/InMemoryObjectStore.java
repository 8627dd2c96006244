package io.vivace.storage.object;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link ObjectStore} in memory: a real implementation (it passes the same contract suite as the
 * disk and S3 stores) for tests and for single-process experiments. Thread-safe; objects are copied
 * in and out so that callers can never change stored bytes.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>(ObjectKeys.UTF8_ORDER);
    private final AtomicLong bytesServed = new AtomicLong();

    /** Creates an empty store. */
    public InMemoryObjectStore() {}

    @Override
    public List<String> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<String> out = new ArrayList<>();
        Map<String, byte[]> tail = prefix.isEmpty() ? objects : objects.tailMap(prefix, true);
        for (String key : tail.keySet()) {
            if (!key.startsWith(prefix)) {
                break; // keys sharing the prefix are contiguous in UTF-8 order
            }
            out.add(key);
        }
        return out;
    }

    @Override
    public List<String> listChildren(String prefix) {
        ObjectKeys.validateDirectoryPrefix(prefix);
        List<String> out = new ArrayList<>();
        for (String key : list(prefix)) {
            String child = ObjectKeys.childDirectory(prefix, key);
            // Keys come sorted, so equal children are adjacent.
            if (child != null && (out.isEmpty() || !out.get(out.size() - 1).equals(child))) {
                out.add(child);
            }
        }
        return out;
    }

    @Override
    public byte[] read(String key) throws IOException {
        byte[] data = get(key);
        bytesServed.addAndGet(data.length);
        return data.clone();
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        checkRange(offset, length);
        byte[] data = get(key);
        if (offset + length > data.length) {
            throw new EOFException("readRange " + key + ": offset + length = " + (offset + length)
                    + " (expected: <= object size " + data.length + ")");
        }
        bytesServed.addAndGet(length);
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public long size(String key) throws IOException {
        return get(key).length;
    }

    @Override
    public void write(String key, byte[] data) {
        ObjectKeys.validateKey(key);
        Objects.requireNonNull(data, "data");
        objects.put(key, data.clone());
    }

    @Override
    public void delete(String key) {
        ObjectKeys.validateKey(key);
        objects.remove(key);
    }

    /** Bytes returned by {@link #read} and {@link #readRange} so far, to check what readers fetch. */
    public long bytesServed() {
        return bytesServed.get();
    }

    private byte[] get(String key) throws ObjectNotFoundException {
        ObjectKeys.validateKey(key);
        byte[] data = objects.get(key);
        if (data == null) {
            throw new ObjectNotFoundException(key);
        }
        return data;
    }

    static void checkRange(long offset, int length) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
    }
}
