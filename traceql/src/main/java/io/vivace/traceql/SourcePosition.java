package io.vivace.traceql;

/**
 * A place in the query text.
 *
 * @param line 1-based line
 * @param column 1-based column (counted in Unicode code points, as the lexer reads them)
 */
public record SourcePosition(int line, int column) {
    @Override
    public String toString() {
        return "line " + line + ", col " + column;
    }
}
