package io.vivace.traceql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.traceql.Regexes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast paths of {@link RegexMatcher} agree with the anchored RE2 pattern on every input. */
class RegexMatcherTest {
    private static final List<String> PATTERNS = List.of("", "a", "abc", "GET|POST", "a|", "|", "ba.*r", "bax*", "ba?r", "ab{2}",
            "ab+", "ab\\d", "ab(?i)C", "(?i)abc", "abc$", "a.b", "x|y.*", "é+", "😀?", "😀*x", "line1.line2", "a]b", "[ab]c", "a-b", "a b");
    private static final List<String> INPUTS = List.of("", "a", "abc", "ABC", "abC", "GET", "POST", "GETPOST", "bar", "bazar", "baxxx",
            "ba", "b", "br", "abb", "ab", "abbb", "ab5", "a\nb", "axb", "x", "yzz", "é", "éé", "😀", "😀😀x", "x", "line1\nline2", "a]b",
            "ac", "bc", "a-b", "a b");

    @Test
    void agreesWithRe2() {
        for (String p : PATTERNS) {
            RegexMatcher fast = RegexMatcher.compile(p);
            com.google.re2j.Pattern re2 = Regexes.compile(p);
            for (String s : INPUTS) {
                assertThat(fast.matches(s)).as("%s =~ %s", s, p).isEqualTo(re2.matcher(s).matches());
            }
        }
    }
}
