package io.vivace.storage.block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema of the vArrow1 {@code data} object: one row per span. Column names are public
 * so that the TraceQL storage adapter can name the columns a condition needs. String columns (and
 * the strings inside lists) hold Int32 codes into per-batch dictionary columns: see
 * {@link #DICTIONARY_OF}. {@code FORMAT.md}
 * documents every column; changing anything here is a new format version.
 */
public final class SpanColumns {
    private SpanColumns() {}

    /** Trace ID, 16 bytes big-endian. */
    public static final String TRACE_ID = "trace_id";
    /** Span ID, 8 bytes. */
    public static final String SPAN_ID = "span_id";
    /** Parent span ID, 8 bytes; null for a root span (empty parent). */
    public static final String PARENT_SPAN_ID = "parent_span_id";
    /** W3C trace state; null when empty. */
    public static final String TRACE_STATE = "trace_state";
    /** Span name. */
    public static final String NAME = "name";
    /** Span kind, the OTLP enum number. */
    public static final String KIND = "kind";
    /** Start time, nanoseconds since the epoch. */
    public static final String START_TIME_UNIX_NANO = "start_time_unix_nano";
    /** End minus start, nanoseconds. */
    public static final String DURATION_NANO = "duration_nano";
    /** Status code, the OTLP enum number; null when the span has no status message. */
    public static final String STATUS_CODE = "status_code";
    /** Status message; null when empty. */
    public static final String STATUS_MESSAGE = "status_message";
    /** Span flags (fixed32 bits). */
    public static final String FLAGS = "flags";
    /** Dropped span attributes. */
    public static final String DROPPED_ATTRIBUTES_COUNT = "dropped_attributes_count";
    /** Dropped events. */
    public static final String DROPPED_EVENTS_COUNT = "dropped_events_count";
    /** Dropped links. */
    public static final String DROPPED_LINKS_COUNT = "dropped_links_count";
    /** Nested-set left number; 0 when the span is not reachable from a root. */
    public static final String NESTED_SET_LEFT = "nested_set_left";
    /** Nested-set right number; 0 when the span is not reachable from a root. */
    public static final String NESTED_SET_RIGHT = "nested_set_right";
    /** The parent's nested-set left number; -1 for a root, 0 when unreachable. */
    public static final String NESTED_SET_PARENT = "nested_set_parent";
    /** Number of direct children in the trace. */
    public static final String CHILD_COUNT = "child_count";
    /** Trace-level: the root span's service name, repeated on every span of the trace; null without root. */
    public static final String TRACE_ROOT_SERVICE = "trace_root_service";
    /** Trace-level: the root span's name; null without root. */
    public static final String TRACE_ROOT_NAME = "trace_root_name";
    /** Trace-level: earliest span start of the trace in this block. */
    public static final String TRACE_START_UNIX_NANO = "trace_start_unix_nano";
    /** Trace-level: latest span end of the trace in this block. */
    public static final String TRACE_END_UNIX_NANO = "trace_end_unix_nano";
    /** Schema URL of the resource spans; null when empty. */
    public static final String RESOURCE_SCHEMA_URL = "resource_schema_url";
    /** Dropped resource attributes; null when the resource message is absent. */
    public static final String RESOURCE_DROPPED_ATTRIBUTES_COUNT = "resource_dropped_attributes_count";
    /** Serialized {@code Resource} holding only its entity references; null when there are none. */
    public static final String RESOURCE_ENTITY_REFS = "resource_entity_refs";
    /** Generic resource attributes (those not in a dedicated column). */
    public static final String RESOURCE_ATTRIBUTES = "resource_attributes";
    /** Instrumentation scope name; null when empty. */
    public static final String SCOPE_NAME = "scope_name";
    /** Instrumentation scope version; null when empty. */
    public static final String SCOPE_VERSION = "scope_version";
    /** Schema URL of the scope spans; null when empty. */
    public static final String SCOPE_SCHEMA_URL = "scope_schema_url";
    /** Dropped scope attributes; null when the scope message is absent. */
    public static final String SCOPE_DROPPED_ATTRIBUTES_COUNT = "scope_dropped_attributes_count";
    /** Scope attributes. */
    public static final String SCOPE_ATTRIBUTES = "scope_attributes";
    /** Generic span attributes (those not in a dedicated column). */
    public static final String SPAN_ATTRIBUTES = "span_attributes";
    /** Span events. */
    public static final String EVENTS = "events";
    /** Span links. */
    public static final String LINKS = "links";

    /** Attribute struct child: key. */
    public static final String ATTR_KEY = "key";
    /** Attribute struct child: value type, one of the {@code TYPE_*} constants. */
    public static final String ATTR_TYPE = "type";
    /** Attribute struct child: string value. */
    public static final String ATTR_STR = "str";
    /** Attribute struct child: int value (also the string-table index of {@link #TYPE_STRINDEX}). */
    public static final String ATTR_INT = "int";
    /** Attribute struct child: double value. */
    public static final String ATTR_DOUBLE = "double";
    /** Attribute struct child: bool value. */
    public static final String ATTR_BOOL = "bool";
    /** Attribute struct child: raw bytes, or a serialized ArrayValue/KeyValueList. */
    public static final String ATTR_BYTES = "bytes";

    /** Event struct child: time. */
    public static final String EVENT_TIME_UNIX_NANO = "time_unix_nano";
    /** Event and link struct child: name. */
    public static final String EVENT_NAME = "name";
    /** Event and link struct child: dropped attributes. */
    public static final String CHILD_DROPPED_ATTRIBUTES_COUNT = "dropped_attributes_count";
    /** Event and link struct child: attributes. */
    public static final String CHILD_ATTRIBUTES = "attributes";
    /** Link struct child: trace ID bytes as sent. */
    public static final String LINK_TRACE_ID = "trace_id";
    /** Link struct child: span ID bytes as sent. */
    public static final String LINK_SPAN_ID = "span_id";
    /** Link struct child: trace state. */
    public static final String LINK_TRACE_STATE = "trace_state";
    /** Link struct child: flags. */
    public static final String LINK_FLAGS = "flags";

    /** Attribute type: the KeyValue has no value field. */
    public static final byte TYPE_ABSENT = 0;
    /** Attribute type: string, in {@link #ATTR_STR}. */
    public static final byte TYPE_STRING = 1;
    /** Attribute type: bool, in {@link #ATTR_BOOL}. */
    public static final byte TYPE_BOOL = 2;
    /** Attribute type: int64, in {@link #ATTR_INT}. */
    public static final byte TYPE_INT = 3;
    /** Attribute type: double, in {@link #ATTR_DOUBLE}. */
    public static final byte TYPE_DOUBLE = 4;
    /** Attribute type: array, a serialized {@code ArrayValue} in {@link #ATTR_BYTES}. */
    public static final byte TYPE_ARRAY = 5;
    /** Attribute type: key-value list, a serialized {@code KeyValueList} in {@link #ATTR_BYTES}. */
    public static final byte TYPE_KVLIST = 6;
    /** Attribute type: bytes, raw in {@link #ATTR_BYTES}. */
    public static final byte TYPE_BYTES = 7;
    /** Attribute type: string-table index (OTLP profiles), in {@link #ATTR_INT}. */
    public static final byte TYPE_STRINDEX = 8;
    /** Attribute type: an AnyValue with no value set. */
    public static final byte TYPE_EMPTY = 9;

    /**
     * Attributes with their own column (faster to filter, no key to match). A value goes to its
     * dedicated column only when it has the column's type and is the first with that key; otherwise it
     * stays in the generic list, so nothing is lost.
     *
     * @param column column name
     * @param resource true for a resource attribute, false for a span attribute
     * @param key the attribute key
     * @param isInt true for an Int64 column, false for an Int32 dictionary code (see {@link #DICTIONARY_OF})
     */
    public record Dedicated(String column, boolean resource, String key, boolean isInt) {}

    /** Dedicated attribute columns, in schema order. */
    public static final List<Dedicated> DEDICATED = List.of(
            new Dedicated("resource_service_name", true, "service.name", false),
            new Dedicated("resource_service_namespace", true, "service.namespace", false),
            new Dedicated("resource_deployment_environment", true, "deployment.environment", false),
            new Dedicated("resource_deployment_environment_name", true, "deployment.environment.name", false),
            new Dedicated("resource_k8s_cluster_name", true, "k8s.cluster.name", false),
            new Dedicated("resource_k8s_namespace_name", true, "k8s.namespace.name", false),
            new Dedicated("resource_k8s_pod_name", true, "k8s.pod.name", false),
            new Dedicated("resource_k8s_container_name", true, "k8s.container.name", false),
            new Dedicated("resource_host_name", true, "host.name", false),
            new Dedicated("span_http_method", false, "http.method", false),
            new Dedicated("span_http_request_method", false, "http.request.method", false),
            new Dedicated("span_http_url", false, "http.url", false),
            new Dedicated("span_url_full", false, "url.full", false),
            new Dedicated("span_http_route", false, "http.route", false),
            new Dedicated("span_http_status_code", false, "http.status_code", true),
            new Dedicated("span_http_response_status_code", false, "http.response.status_code", true),
            new Dedicated("span_db_system", false, "db.system", false),
            new Dedicated("span_rpc_system", false, "rpc.system", false),
            new Dedicated("span_rpc_service", false, "rpc.service", false),
            new Dedicated("span_rpc_method", false, "rpc.method", false),
            new Dedicated("span_messaging_system", false, "messaging.system", false),
            new Dedicated("span_peer_service", false, "peer.service", false));

    /** The dedicated column holding {@code service.name}. */
    public static final String RESOURCE_SERVICE_NAME = "resource_service_name";

    /** Schema metadata key naming the format. */
    public static final String METADATA_FORMAT = "vivace.format";

    /** Dictionary of span and trace-root names. */
    public static final String NAME_DICTIONARY = "name_dictionary";
    /** Dictionary of span-level low-cardinality strings: trace state, status message, dedicated span strings but URLs. */
    public static final String SPAN_DICTIONARY = "span_dictionary";
    /** Dictionary of URLs ({@code span_http_url}, {@code span_url_full}). */
    public static final String URL_DICTIONARY = "url_dictionary";
    /** Dictionary of resource- and scope-level strings, including {@code trace_root_service} and attribute keys/values. */
    public static final String RESOURCE_DICTIONARY = "resource_dictionary";
    /** Dictionary of span attribute keys and string values. */
    public static final String SPAN_ATTRIBUTES_DICTIONARY = "span_attributes_dictionary";
    /** Dictionary of event names and event attribute keys and string values. */
    public static final String EVENTS_DICTIONARY = "events_dictionary";
    /** Dictionary of link trace states and link attribute keys and string values. */
    public static final String LINKS_DICTIONARY = "links_dictionary";

    /**
     * The dictionary of each dictionary-encoded top-level column (for lists: of the strings inside).
     * A dictionary column is a {@code List<Utf8>} whose row 0 holds the batch's distinct strings of
     * all its columns, sorted by unsigned bytes (code {@code i} = element {@code i}); other rows are
     * null. Codes of columns sharing a dictionary are comparable.
     */
    public static final Map<String, String> DICTIONARY_OF;

    /** Dictionary columns, in schema order. */
    public static final List<String> DICTIONARIES;

    /** The vArrow1 schema. */
    public static final Schema SCHEMA;

    static {
        Map<String, String> dictionaryOf = new LinkedHashMap<>();
        SCHEMA = buildSchema(dictionaryOf);
        DICTIONARY_OF = Collections.unmodifiableMap(dictionaryOf);
        DICTIONARIES = List.copyOf(new LinkedHashSet<>(dictionaryOf.values()));
    }

    /** The dictionary column of the dictionary-encoded column {@code column}, or null when it has none. */
    public static String dictionaryOf(String column) {
        return DICTIONARY_OF.get(column);
    }

    private static Schema buildSchema(Map<String, String> dict) {
        List<Field> f = new ArrayList<>();
        f.add(notNull(TRACE_ID, new ArrowType.FixedSizeBinary(16)));
        f.add(notNull(SPAN_ID, new ArrowType.FixedSizeBinary(8)));
        f.add(nullable(PARENT_SPAN_ID, new ArrowType.FixedSizeBinary(8)));
        coded(f, dict, nullable(TRACE_STATE, int32()), SPAN_DICTIONARY);
        coded(f, dict, notNull(NAME, int32()), NAME_DICTIONARY);
        f.add(notNull(KIND, int32()));
        f.add(notNull(START_TIME_UNIX_NANO, int64()));
        f.add(notNull(DURATION_NANO, int64()));
        f.add(nullable(STATUS_CODE, int32()));
        coded(f, dict, nullable(STATUS_MESSAGE, int32()), SPAN_DICTIONARY);
        f.add(notNull(FLAGS, int32()));
        f.add(notNull(DROPPED_ATTRIBUTES_COUNT, int32()));
        f.add(notNull(DROPPED_EVENTS_COUNT, int32()));
        f.add(notNull(DROPPED_LINKS_COUNT, int32()));
        f.add(notNull(NESTED_SET_LEFT, int32()));
        f.add(notNull(NESTED_SET_RIGHT, int32()));
        f.add(notNull(NESTED_SET_PARENT, int32()));
        f.add(notNull(CHILD_COUNT, int32()));
        coded(f, dict, nullable(TRACE_ROOT_SERVICE, int32()), RESOURCE_DICTIONARY);
        coded(f, dict, nullable(TRACE_ROOT_NAME, int32()), NAME_DICTIONARY);
        dictionary(f, NAME_DICTIONARY);
        f.add(notNull(TRACE_START_UNIX_NANO, int64()));
        f.add(notNull(TRACE_END_UNIX_NANO, int64()));
        coded(f, dict, nullable(RESOURCE_SCHEMA_URL, int32()), RESOURCE_DICTIONARY);
        f.add(nullable(RESOURCE_DROPPED_ATTRIBUTES_COUNT, int32()));
        f.add(nullable(RESOURCE_ENTITY_REFS, ArrowType.Binary.INSTANCE));
        for (Dedicated d : DEDICATED) {
            if (d.resource()) {
                dedicated(f, dict, d, RESOURCE_DICTIONARY);
            }
        }
        coded(f, dict, attributeList(RESOURCE_ATTRIBUTES), RESOURCE_DICTIONARY);
        coded(f, dict, nullable(SCOPE_NAME, int32()), RESOURCE_DICTIONARY);
        coded(f, dict, nullable(SCOPE_VERSION, int32()), RESOURCE_DICTIONARY);
        coded(f, dict, nullable(SCOPE_SCHEMA_URL, int32()), RESOURCE_DICTIONARY);
        f.add(nullable(SCOPE_DROPPED_ATTRIBUTES_COUNT, int32()));
        coded(f, dict, attributeList(SCOPE_ATTRIBUTES), RESOURCE_DICTIONARY);
        dictionary(f, RESOURCE_DICTIONARY);
        for (Dedicated d : DEDICATED) {
            if (!d.resource()) {
                boolean url = d.column().equals("span_http_url") || d.column().equals("span_url_full");
                dedicated(f, dict, d, url ? URL_DICTIONARY : SPAN_DICTIONARY);
            }
        }
        dictionary(f, SPAN_DICTIONARY);
        dictionary(f, URL_DICTIONARY);
        coded(f, dict, attributeList(SPAN_ATTRIBUTES), SPAN_ATTRIBUTES_DICTIONARY);
        dictionary(f, SPAN_ATTRIBUTES_DICTIONARY);
        coded(f, dict, list(EVENTS, struct("event", List.of(
                notNull(EVENT_TIME_UNIX_NANO, int64()),
                notNull(EVENT_NAME, int32()),
                notNull(CHILD_DROPPED_ATTRIBUTES_COUNT, int32()),
                attributeList(CHILD_ATTRIBUTES)))), EVENTS_DICTIONARY);
        dictionary(f, EVENTS_DICTIONARY);
        coded(f, dict, list(LINKS, struct("link", List.of(
                notNull(LINK_TRACE_ID, ArrowType.Binary.INSTANCE),
                notNull(LINK_SPAN_ID, ArrowType.Binary.INSTANCE),
                nullable(LINK_TRACE_STATE, int32()),
                notNull(LINK_FLAGS, int32()),
                notNull(CHILD_DROPPED_ATTRIBUTES_COUNT, int32()),
                attributeList(CHILD_ATTRIBUTES)))), LINKS_DICTIONARY);
        dictionary(f, LINKS_DICTIONARY);
        return new Schema(f, Map.of(METADATA_FORMAT, BlockMeta.FORMAT_V_ARROW1));
    }

    private static void dedicated(List<Field> f, Map<String, String> dict, Dedicated d, String dictionary) {
        if (d.isInt()) {
            f.add(nullable(d.column(), int64()));
        } else {
            coded(f, dict, nullable(d.column(), int32()), dictionary);
        }
    }

    private static void coded(List<Field> f, Map<String, String> dict, Field column, String dictionary) {
        f.add(column);
        dict.put(column.getName(), dictionary);
    }

    private static void dictionary(List<Field> f, String name) {
        f.add(new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(notNull("value", ArrowType.Utf8.INSTANCE))));
    }

    /** The struct of one attribute; {@code key} and {@code str} are codes into the column's dictionary. */
    static Field attributeStruct() {
        return struct("attribute", List.of(
                notNull(ATTR_KEY, int32()),
                notNull(ATTR_TYPE, new ArrowType.Int(8, true)),
                nullable(ATTR_STR, int32()),
                nullable(ATTR_INT, int64()),
                nullable(ATTR_DOUBLE, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                nullable(ATTR_BOOL, ArrowType.Bool.INSTANCE),
                nullable(ATTR_BYTES, ArrowType.Binary.INSTANCE)));
    }

    private static Field attributeList(String name) {
        return list(name, attributeStruct());
    }

    private static Field list(String name, Field element) {
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(element));
    }

    private static Field struct(String name, List<Field> children) {
        // Nullable so that Arrow Java builds a StructVector with a validity buffer; entries are never null.
        return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    }

    private static Field notNull(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), Collections.emptyList());
    }

    private static Field nullable(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), Collections.emptyList());
    }

    private static ArrowType int32() {
        return new ArrowType.Int(32, true);
    }

    private static ArrowType int64() {
        return new ArrowType.Int(64, true);
    }
}
