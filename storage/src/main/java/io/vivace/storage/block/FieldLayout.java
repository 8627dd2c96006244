package io.vivace.storage.block;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Where every field of a schema sits in an Arrow IPC record batch message: the IPC format lists one
 * field node per field and the field's buffers, depth first in schema order, so a field's node and
 * buffer indexes follow from the schema alone. {@link BatchBytes} uses it to find the bytes of a few
 * fields and to rebuild a record batch holding only them.
 */
final class FieldLayout {
    /**
     * One field.
     *
     * @param field the field
     * @param column index of its top-level column
     * @param path names below the top-level column joined by {@code .} ({@code ""} for the column
     *     itself, {@code "attribute.key"} for the key of an attribute list)
     * @param node index of its field node in the message
     * @param firstBuffer index of its first buffer in the message
     * @param buffers number of its own buffers (children excluded)
     */
    record Slot(Field field, int column, String path, int node, int firstBuffer, int buffers) {}

    private static final Map<Schema, FieldLayout> CACHE = new HashMap<>();

    final Schema schema;
    final List<Slot> slots;
    /** Index in {@link #slots} of each top-level column's slot; one extra entry holds {@code slots.size()}. */
    final int[] columnStart;
    final int nodes;
    final int buffers;
    private final Map<String, Integer> columnIndex = new HashMap<>();

    private FieldLayout(Schema schema) {
        this.schema = schema;
        List<Field> fields = schema.getFields();
        List<Slot> out = new ArrayList<>();
        columnStart = new int[fields.size() + 1];
        int[] counters = new int[2];
        for (int c = 0; c < fields.size(); c++) {
            columnStart[c] = out.size();
            columnIndex.put(fields.get(c).getName(), c);
            add(out, fields.get(c), c, "", counters);
        }
        columnStart[fields.size()] = out.size();
        slots = List.copyOf(out);
        nodes = counters[0];
        buffers = counters[1];
    }

    private static void add(List<Slot> out, Field field, int column, String path, int[] counters) {
        int n = TypeLayout.getTypeBufferCount(field.getType());
        out.add(new Slot(field, column, path, counters[0]++, counters[1], n));
        counters[1] += n;
        for (Field child : field.getChildren()) {
            add(out, child, column, path.isEmpty() ? child.getName() : path + "." + child.getName(), counters);
        }
    }

    /** The layout of {@code schema} (computed once per distinct schema). */
    static synchronized FieldLayout of(Schema schema) {
        return CACHE.computeIfAbsent(schema, FieldLayout::new);
    }

    /** Index of the top-level column {@code name}. */
    int column(String name) {
        Integer c = columnIndex.get(name);
        if (c == null) {
            throw new IllegalArgumentException("column: " + name + " (expected: a column of the block's schema)");
        }
        return c;
    }

    /** Number of top-level columns. */
    int columns() {
        return columnStart.length - 1;
    }

    /** The slot of top-level column {@code column} itself. */
    Slot columnSlot(int column) {
        return slots.get(columnStart[column]);
    }
}
