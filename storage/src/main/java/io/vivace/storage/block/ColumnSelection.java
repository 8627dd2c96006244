package io.vivace.storage.block;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which fields of a record batch to read: whole top-level columns, or only some fields inside a
 * nested column (for an attribute list, say, the {@code key} and {@code type} children without the
 * value children). A field is read when it is named, lies below a named field, or is an ancestor of
 * one (a list or struct whose child is read). Not thread-safe; built per batch.
 */
final class ColumnSelection {
    private static final Set<String> WHOLE = Collections.unmodifiableSet(new HashSet<>());

    // Top-level column name -> paths read inside it (relative to the column, see FieldLayout.Slot#path); WHOLE = all.
    private final Map<String, Set<String>> columns = new LinkedHashMap<>();

    /** An empty selection. */
    ColumnSelection() {}

    /** Adds whole columns. */
    ColumnSelection whole(String... names) {
        for (String n : names) {
            columns.put(n, WHOLE);
        }
        return this;
    }

    /** Adds the fields at {@code paths} inside column {@code name} (and everything below them). */
    ColumnSelection paths(String name, String... paths) {
        Set<String> current = columns.get(name);
        if (current == WHOLE) {
            return this;
        }
        if (current == null) {
            current = new HashSet<>();
            columns.put(name, current);
        }
        Collections.addAll(current, paths);
        return this;
    }

    /** Adds everything {@code other} selects. */
    ColumnSelection addAll(ColumnSelection other) {
        other.columns.forEach((name, paths) -> {
            if (paths == WHOLE) {
                columns.put(name, WHOLE);
            } else {
                paths(name, paths.toArray(String[]::new));
            }
        });
        return this;
    }

    /** The top-level columns with at least one field selected. */
    Set<String> columns() {
        return Collections.unmodifiableSet(columns.keySet());
    }

    boolean isEmpty() {
        return columns.isEmpty();
    }

    /** Whether the field at {@code path} of column {@code name} is read. */
    boolean keeps(String name, String path) {
        Set<String> paths = columns.get(name);
        if (paths == null) {
            return false;
        }
        if (paths == WHOLE || path.isEmpty()) {
            return true;
        }
        for (String p : paths) {
            if (p.equals(path) || p.startsWith(path + ".") || path.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        columns.forEach((name, paths) -> sb.append(sb.length() > 1 ? ", " : "").append(name).append(paths == WHOLE ? "" : paths));
        return sb.append('}').toString();
    }
}
