package io.vivace.traceql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.TraceQLPrinter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the corpus under {@code src/test/resources/corpus/}: valid queries compile and survive
 * print/reparse in both printing styles; invalid ones fail with the expected message; the
 * precedence file pins the fully parenthesised form.
 */
class CorpusTest {

    /** Reads a corpus file: skips blank and # lines, expands the {@code <NL>}-style markers. */
    static List<String[]> corpus(String name) {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/" + name)) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                fields[0] = fields[0].replace("<NL>", "\n").replace("<TAB>", "\t").replace("<CR>", "\r");
                rows.add(fields);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> valid() {
        return corpus("valid.txt").stream().map(r -> Arguments.of(r[0]));
    }

    static Stream<Arguments> invalid() {
        return corpus("invalid.txt").stream().map(r -> Arguments.of(r[0], r[1]));
    }

    static Stream<Arguments> precedence() {
        return corpus("precedence.txt").stream().map(r -> Arguments.of(r[0], r[1]));
    }

    @Test
    void corpusIsLargeEnough() {
        assertThat(corpus("valid.txt")).hasSizeGreaterThan(400);
        assertThat(corpus("invalid.txt")).hasSizeGreaterThan(250).allSatisfy(r -> assertThat(r).hasSize(2));
        assertThat(corpus("precedence.txt")).hasSizeGreaterThan(80).allSatisfy(r -> assertThat(r).hasSize(2));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void validQueryCompilesAndRoundTrips(String query) {
        Query parsed = TraceQL.compile(query);

        Query reparsed = TraceQL.compile(parsed.toString());
        Query reparsedFull = TraceQL.compile(TraceQLPrinter.printFullyParenthesized(parsed));

        assertThat(reparsed).as("canonical: %s", parsed).isEqualTo(parsed);
        assertThat(reparsedFull).as("fully parenthesised: %s", TraceQLPrinter.printFullyParenthesized(parsed))
                .isEqualTo(parsed);
        // Printing is a fixed point after one round.
        assertThat(reparsed.toString()).isEqualTo(parsed.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void invalidQueryIsRejected(String query, String expectedFragment) {
        assertThatThrownBy(() -> TraceQL.compile(query))
                .isInstanceOf(TraceQLException.class)
                .hasMessageContaining(expectedFragment);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("precedence")
    void precedenceIsTempos(String query, String fullyParenthesized) {
        Query parsed = TraceQLParser.parse(query);

        assertThat(TraceQLPrinter.printFullyParenthesized(parsed)).isEqualTo(fullyParenthesized);
        assertThat(TraceQLParser.parse(fullyParenthesized)).isEqualTo(parsed);
    }
}
