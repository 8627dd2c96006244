package io.vivace.traceql.engine;

import com.google.re2j.Pattern;
import io.vivace.traceql.Regexes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A TraceQL regex (fully anchored, dot-all RE2, {@link Regexes}) with cheap paths for the common
 * shapes: a plain literal or an alternation of literals ({@code GET|POST}, what Grafana sends for
 * multi-value variables) is a set lookup; a pattern starting with literal text ({@code ba.*r})
 * first checks that prefix. Results are always those of the RE2 pattern. Thread-safe.
 */
final class RegexMatcher {
    /** Characters with a meaning in RE2 syntax; anything else matches itself. */
    private static final String META = ".*+?()[]{}^$|\\";

    private final Pattern pattern;
    private final Set<String> literals;
    private final String prefix;

    private RegexMatcher(Pattern pattern, Set<String> literals, String prefix) {
        this.pattern = pattern;
        this.literals = literals;
        this.prefix = prefix;
    }

    /**
     * Compiles a regex.
     *
     * @throws IllegalArgumentException when RE2 rejects it
     */
    static RegexMatcher compile(String regex) {
        Pattern pattern = Regexes.compile(regex);
        boolean plain = true;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c != '|' && META.indexOf(c) >= 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new RegexMatcher(pattern, new HashSet<>(Arrays.asList(regex.split("\\|", -1))), null);
        }
        if (regex.indexOf('|') >= 0) {
            return new RegexMatcher(pattern, null, "");
        }
        int end = 0;
        while (end < regex.length() && META.indexOf(regex.charAt(end)) < 0) {
            end++;
        }
        if (end < regex.length() && "*+?{".indexOf(regex.charAt(end)) >= 0) {
            end--; // the last literal is under a quantifier: it may be absent or repeated
        }
        // Stay on whole code points: a quantifier after a surrogate pair applies to all of it.
        if (end > 0 && Character.isHighSurrogate(regex.charAt(end - 1))) {
            end--;
        }
        return new RegexMatcher(pattern, null, end <= 0 ? "" : regex.substring(0, end));
    }

    /** Whether the whole of {@code s} matches. */
    boolean matches(String s) {
        if (literals != null) {
            return literals.contains(s);
        }
        return s.startsWith(prefix) && pattern.matches(s);
    }
}
