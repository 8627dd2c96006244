package io.vivace.storage.block;

import java.io.IOException;

/**
 * A string {@link ValueTest} resolved against one batch's dictionary, so that rows are tested by
 * code. Dictionaries are sorted by unsigned bytes, the order TraceQL compares strings in, so
 * {@code =} is one binary search, {@code !=} its complement, and {@code < <= > >=} a range of
 * codes; regexes are evaluated once per code, lazily.
 */
final class CodeMatcher {
    private final DictionaryColumn dictionary;
    private final ValueTest test;
    private final int size;
    // Codes in [from, to) match (excluded: a single code that does not) unless a regex is memoized.
    private int from;
    private int to;
    private int excluded = -1;
    private byte[] memo; // regex: 0 = not evaluated, 1 = match, 2 = no match

    CodeMatcher(DictionaryColumn dictionary, ValueTest test) throws IOException {
        this.dictionary = dictionary;
        this.test = test;
        this.size = dictionary.size();
        if (!test.isString()) {
            return; // a number, bool or keyword never equals a string: nothing matches
        }
        switch (test.op) {
            case EQ -> {
                int c = dictionary.find(test.utf8);
                from = c < 0 ? 0 : c;
                to = c < 0 ? 0 : c + 1;
            }
            case NEQ -> {
                from = 0;
                to = size;
                excluded = dictionary.find(test.utf8);
            }
            case LT -> to = dictionary.lowerBound(test.utf8);
            case LTE -> to = dictionary.upperBound(test.utf8);
            case GT -> {
                from = dictionary.upperBound(test.utf8);
                to = size;
            }
            case GTE -> {
                from = dictionary.lowerBound(test.utf8);
                to = size;
            }
            case REGEX, NOT_REGEX -> memo = new byte[size];
            default -> {
                // Not a comparison: nothing matches.
            }
        }
    }

    /** Whether the string of {@code code} satisfies the test. */
    boolean matches(int code) throws IOException {
        if (memo != null) {
            byte m = memo[code];
            if (m == 0) {
                m = test.testString(dictionary.bytes(code)) ? (byte) 1 : (byte) 2;
                memo[code] = m;
            }
            return m == 1;
        }
        return code >= from && code < to && code != excluded;
    }

    /** Whether some string of the dictionary satisfies the test (regexes: evaluated until one does). */
    boolean any() throws IOException {
        if (memo != null) {
            for (int c = 0; c < size; c++) {
                if (matches(c)) {
                    return true;
                }
            }
            return false;
        }
        return to - from - (excluded >= from && excluded < to ? 1 : 0) > 0;
    }

    /** Whether every string of the dictionary satisfies the test (regexes: answered false without evaluating). */
    boolean all() {
        return memo == null && from == 0 && to == size && (excluded < 0 || excluded >= size);
    }
}
