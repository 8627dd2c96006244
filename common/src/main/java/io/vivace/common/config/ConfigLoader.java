package io.vivace.common.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.AccessorNamingStrategy;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.DefaultAccessorNamingStrategy;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds configuration into immutable records. The sources, weakest first: the defaults record,
 * the YAML file (after {@code ${VAR}} / {@code ${VAR:-default}} expansion), then flags given as
 * dotted key paths ({@code storage.trace.local.path=/data}). Record components in camelCase are
 * snake_case keys. An unknown key, in the file or in a flag, fails with its dotted path.
 */
public final class ConfigLoader {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final ObjectMapper mapper;

    /** Creates a loader. */
    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("go-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return GoDuration.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        durations.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(GoDuration.format(value));
            }
        });
        this.mapper = JsonMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // A key written twice in the file is a mistake, as in Go's YAML decoder.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // Only record components are keys: a derived getX()/isX() method on a config record
                // would otherwise be written by toTree and then rejected as unknown on binding.
                .accessorNaming(new ComponentsOnlyNaming())
                .addModule(durations)
                .build();
    }

    /**
     * Loads a configuration.
     *
     * @param type the root record type
     * @param defaults the defaults, a complete instance of {@code type}
     * @param yaml the YAML text, or {@code null} for none
     * @param flags dotted key paths to values, applied after the file
     * @param env environment lookup for {@code ${VAR}} expansion
     * @throws ConfigException naming the offending key
     */
    public <T> T load(Class<T> type, T defaults, String yaml, Map<String, String> flags, Function<String, String> env) {
        return load(type, defaults, yaml, flags, env, tree -> {});
    }

    /**
     * As {@link #load(Class, Object, String, Map, Function)}, with {@code beforeBind} run on the merged
     * tree just before binding (e.g. to complete partial per-tenant sections from the defaults).
     */
    public <T> T load(Class<T> type, T defaults, String yaml, Map<String, String> flags, Function<String, String> env,
            java.util.function.Consumer<ObjectNode> beforeBind) {
        ObjectNode tree = toTree(defaults);
        if (yaml != null && !yaml.isBlank()) {
            JsonNode user;
            try {
                user = mapper.readTree(expandEnv(yaml, env));
            } catch (IOException e) {
                throw new ConfigException("config file is not valid YAML: " + firstLine(e.getMessage()), e);
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) {
                    throw new ConfigException("config file must be a YAML mapping at the top level");
                }
                merge(tree, (ObjectNode) user);
            }
        }
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            set(tree, flag.getKey(), flag.getValue());
        }
        beforeBind.accept(tree);
        return bind(tree, type);
    }

    /** The defaults as a tree, for documentation and tests. */
    public ObjectNode toTree(Object defaults) {
        return mapper.valueToTree(defaults);
    }

    /** Renders {@code config} as YAML with snake_case keys and Go durations. */
    public String toYaml(Object config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As {@link #toYaml}, with the value of every non-empty key whose name contains {@code secret},
     * {@code password} or {@code token} replaced by {@code <redacted>}: what {@code -print-config}
     * shows, since its output ends up in terminals, tickets and logs.
     */
    public String toRedactedYaml(Object config) {
        ObjectNode tree = mapper.valueToTree(config);
        redact(tree);
        try {
            return mapper.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                String n = name.toLowerCase(java.util.Locale.ROOT);
                boolean sensitive = n.contains("secret") || n.contains("password") || n.contains("token");
                if (sensitive && v.isTextual() && !v.asText().isEmpty()) {
                    o.put(name, "<redacted>");
                } else {
                    redact(v);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(ConfigLoader::redact);
        }
    }

    private <T> T bind(ObjectNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown configuration key '" + path(e) + "'", e);
        } catch (JsonMappingException e) {
            String cause = e.getOriginalMessage();
            throw new ConfigException("invalid value for '" + path(e) + "': " + firstLine(cause), e);
        } catch (IOException e) {
            throw new ConfigException("invalid configuration: " + firstLine(e.getMessage()), e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Deep-merges {@code source} into {@code target}: objects merge key by key, anything else replaces.
     * A null over an object keeps the object: {@code server:} with nothing under it is an empty section.
     */
    public static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
                merge(eo, so);
            } else if (existing instanceof ObjectNode && e.getValue().isNull()) {
                continue;
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void set(ObjectNode tree, String dottedPath, String value) {
        String[] parts = dottedPath.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new ConfigException("invalid configuration key '" + dottedPath + "' (expected: a dotted path such as server.http_listen_port)");
            }
        }
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                ObjectNode created = JsonNodeFactory.instance.objectNode();
                node.set(parts[i], created);
                node = created;
            } else if (child instanceof ObjectNode o) {
                node = o;
            } else {
                throw new ConfigException("unknown configuration key '" + dottedPath + "': '"
                        + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is not a section");
            }
        }
        node.set(parts[parts.length - 1], TextNode.valueOf(value));
    }

    /** Expands {@code ${VAR}} and {@code ${VAR:-default}}; an unset variable without default fails. */
    static String expandEnv(String text, Function<String, String> env) {
        Matcher m = ENV.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                if (m.group(2) == null) {
                    throw new ConfigException("config file uses ${" + m.group(1) + "} but the environment variable is not set");
                }
                v = m.group(2);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Jackson's naming, except that a record's only properties are its components. */
    private static final class ComponentsOnlyNaming extends DefaultAccessorNamingStrategy.Provider {
        private static final long serialVersionUID = 1L;

        @Override
        public AccessorNamingStrategy forRecord(MapperConfig<?> config, AnnotatedClass recordClass) {
            return new DefaultAccessorNamingStrategy.RecordNaming(config, recordClass) {
                @Override
                public String findNameForRegularGetter(AnnotatedMethod method, String name) {
                    return _fieldNames.contains(name) ? name : null;
                }

                @Override
                public String findNameForIsGetter(AnnotatedMethod method, String name) {
                    return _fieldNames.contains(name) ? name : null;
                }
            };
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
