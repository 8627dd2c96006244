package io.vivace.frontend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The legacy {@code tags=} search parameter: logfmt pairs ({@code k=v k2="v 2"}), and their meaning
 * as TraceQL. Tempo's legacy search matches a tag when some span has the attribute with a value
 * containing the text, ignoring case; each tag may match a different span of the trace.
 */
final class Logfmt {
    private Logfmt() {
    }

    /**
     * Parses logfmt pairs.
     *
     * @throws io.vivace.common.errors.VivaceException 400 on a syntax error or a repeated key
     */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                i++;
            }
            if (i == keyStart) {
                throw SearchApi.invalid("invalid tags: unexpected '" + text.charAt(i) + "' at pos " + (i + 1));
            }
            String key = text.substring(keyStart, i);
            String value = "";
            if (i < n && text.charAt(i) == '=') {
                i++;
                if (i < n && text.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = text.charAt(i++);
                        if (c == '\\' && i < n) {
                            char e = text.charAt(i++);
                            sb.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> e;
                            });
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            sb.append(c);
                        }
                    }
                    if (!closed) {
                        throw SearchApi.invalid("invalid tags: unterminated quoted value at pos " + (n + 1));
                    }
                    value = sb.toString();
                } else {
                    int valueStart = i;
                    while (i < n && !Character.isWhitespace(text.charAt(i))) {
                        if (text.charAt(i) == '"' || text.charAt(i) == '=') {
                            throw SearchApi.invalid("invalid tags: unexpected '" + text.charAt(i) + "' at pos " + (i + 1));
                        }
                        i++;
                    }
                    value = text.substring(valueStart, i);
                }
            } else if (i < n && text.charAt(i) == '"') {
                throw SearchApi.invalid("invalid tags: unexpected '\"' at pos " + (i + 1));
            }
            if (out.put(key, value) != null) {
                throw SearchApi.invalid("invalid tags: duplicate key " + key);
            }
        }
    }

    /**
     * The TraceQL query of legacy tags: one spanset per tag, joined with {@code &&}; {@code {}}
     * without tags.
     */
    static String toTraceQL(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "{ }";
        }
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (!q.isEmpty()) {
                q.append(" && ");
            }
            String pattern = "(?i).*" + quoteRegex(e.getValue()) + ".*";
            String field = switch (e.getKey()) {
                case "name" -> "name";
                case "status.code", "status" -> null;
                default -> "." + quoteName(e.getKey());
            };
            if (field == null) {
                q.append("{ status = ").append(statusKeyword(e.getValue())).append(" }");
            } else {
                q.append("{ ").append(field).append(" =~ ").append(quoteString(pattern)).append(" }");
            }
        }
        return q.toString();
    }

    private static String statusKeyword(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "error", "2", "status_code_error" -> "error";
            case "ok", "1", "status_code_ok" -> "ok";
            default -> "unset";
        };
    }

    /** An attribute name usable after {@code .}: quoted when it holds characters names cannot. */
    private static String quoteName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':')) {
                return quoteString(name);
            }
        }
        return name;
    }

    private static String quoteString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String quoteRegex(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
