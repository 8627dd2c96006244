package io.vivace.traceql.ast;

/** Prefix operators of field expressions. */
public enum UnaryOperator {
    /** Prefix {@code -}: binds like binary minus, so {@code -.a * 2} is {@code -(.a * 2)}. */
    NEGATE("-", 4),
    /** Prefix {@code !}: between {@code + -} and {@code * /}, so {@code !.a = .b} is {@code (!.a) = .b}. */
    NOT("!", 5);

    private final String symbol;
    private final int precedence;

    UnaryOperator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written in TraceQL. */
    public String symbol() {
        return symbol;
    }

    /** Binding strength on the scale of {@link BinaryOperator#precedence()}. */
    public int precedence() {
        return precedence;
    }
}
