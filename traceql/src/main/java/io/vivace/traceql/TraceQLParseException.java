package io.vivace.traceql;

/**
 * A syntax error (lexical or grammatical, including errors found while building the tree such as
 * an unknown identifier or a division by zero in a constant). The message has the form
 * {@code parse error at line 1, col 27: unexpected token '}', expected a value}.
 */
public final class TraceQLParseException extends TraceQLException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String offendingToken;

    /**
     * Creates a parse error.
     *
     * @param detail what is wrong
     * @param line 1-based line of the offending token
     * @param column 1-based column of the offending token
     * @param offendingToken the offending token's text ({@code ""} at the end of the input)
     */
    public TraceQLParseException(String detail, int line, int column, String offendingToken) {
        super("invalid_traceql", "parse error at line " + line + ", col " + column + ": " + detail, detail);
        this.line = line;
        this.column = column;
        this.offendingToken = offendingToken;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** The offending token's text, {@code ""} at the end of the input. */
    public String offendingToken() {
        return offendingToken;
    }
}
