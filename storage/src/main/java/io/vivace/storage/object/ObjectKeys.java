package io.vivace.storage.object;

import java.util.Comparator;
import java.util.Objects;

/**
 * Rules every {@link ObjectStore} applies to keys, kept in one place so that the local, in-memory
 * and S3 stores accept and order exactly the same keys.
 */
public final class ObjectKeys {

    /**
     * Orders strings as their UTF-8 bytes compare (unsigned), which is S3's listing order. Comparing
     * code points gives the same order; {@link String#compareTo} does not (it compares UTF-16 units,
     * which misorders supplementary characters against U+E000..U+FFFF).
     */
    public static final Comparator<String> UTF8_ORDER = ObjectKeys::compareUtf8;

    /** Marks temporary files of {@link LocalObjectStore}; keys may not contain it. */
    static final String TEMP_MARKER = ".vivace-tmp-";

    private ObjectKeys() {}

    /**
     * Checks that {@code key} is a valid object key: non-empty, {@code /}-separated segments that are
     * neither empty, {@code .} nor {@code ..}, no NUL character, no temporary-file marker.
     *
     * @return {@code key}
     * @throws IllegalArgumentException naming the problem
     */
    public static String validateKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key: empty (expected: segments separated by '/')");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key: " + key + " (expected: no NUL character)");
        }
        if (key.contains(TEMP_MARKER)) {
            throw new IllegalArgumentException("key: " + key + " (expected: not containing '" + TEMP_MARKER + "')");
        }
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            String segment = slash < 0 ? key.substring(start) : key.substring(start, slash);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "key: " + key + " (expected: no empty, '.' or '..' segment, no leading or trailing '/')");
            }
            if (slash < 0) {
                return key;
            }
            start = slash + 1;
        }
    }

    /**
     * Checks a {@code listChildren} prefix: empty, or a valid key followed by {@code /}.
     *
     * @return {@code prefix}
     */
    public static String validateDirectoryPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty()) {
            if (!prefix.endsWith("/")) {
                throw new IllegalArgumentException("prefix: " + prefix + " (expected: empty or ending in '/')");
            }
            validateKey(prefix.substring(0, prefix.length() - 1));
        }
        return prefix;
    }

    /** Compares {@code a} and {@code b} in UTF-8 byte order. */
    public static int compareUtf8(String a, String b) {
        return io.vivace.model.Utf8.compare(a, b);
    }

    /**
     * The child segment of {@code key} directly below {@code prefix} if {@code key} lies deeper than
     * one segment below it, else null (the key is an object directly at that level, or outside it).
     */
    static String childDirectory(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        int slash = key.indexOf('/', prefix.length());
        return slash < 0 ? null : key.substring(prefix.length(), slash);
    }
}
