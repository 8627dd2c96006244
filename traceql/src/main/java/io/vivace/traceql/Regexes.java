package io.vivace.traceql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * TraceQL regular expressions: RE2 syntax, fully anchored, {@code .} matching newlines — what
 * Tempo gets by compiling {@code ^(?s:<re>)$} with Go's regexp.
 */
public final class Regexes {
    private Regexes() {
    }

    /**
     * Compiles a TraceQL regex.
     *
     * @throws IllegalArgumentException with message {@code invalid regex: <re>} when RE2 rejects it
     */
    public static Pattern compile(String regex) {
        try {
            // Compile the user's text alone first: wrapping could balance a stray ')' such as "a)(b".
            Pattern.compile(regex);
            return Pattern.compile("^(?s:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex: " + regex, e);
        }
    }
}
