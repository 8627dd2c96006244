package io.vivace.traceql.ast;

/**
 * Binary operators of field expressions, scalar filters and metrics arithmetic, with the
 * precedence they have inside {@code {}} (spec 5.1; a higher number binds tighter).
 */
public enum BinaryOperator {
    /** {@code &&}. */
    AND("&&", 1),
    /** {@code ||} (same precedence as {@code &&}: no C-style priority). */
    OR("||", 1),
    /** {@code =}. */
    EQ("=", 2),
    /** {@code !=}. */
    NEQ("!=", 2),
    /** {@code <}. */
    LT("<", 2),
    /** {@code <=}. */
    LTE("<=", 2),
    /** {@code >}. */
    GT(">", 2),
    /** {@code >=}. */
    GTE(">=", 2),
    /** {@code =~}: fully anchored RE2 match. */
    REGEX("=~", 2),
    /** {@code !~}: no RE2 match. */
    NOT_REGEX("!~", 2),
    /** {@code +}. */
    ADD("+", 3),
    /** {@code -}. */
    SUB("-", 3),
    /** {@code *}. */
    MUL("*", 6),
    /** {@code /}. */
    DIV("/", 6),
    /** {@code %}. */
    MOD("%", 6),
    /** {@code ^} (right-associative). */
    POW("^", 7);

    private final String symbol;
    private final int precedence;

    BinaryOperator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written in TraceQL. */
    public String symbol() {
        return symbol;
    }

    /**
     * Binding strength inside {@code {}}: 1 for {@code && ||}, 2 for comparisons, 3 for {@code + -},
     * 6 for {@code * / %}, 7 for {@code ^}. Prefix {@code -} is 4 and prefix {@code !} is 5 (see
     * {@link UnaryOperator#precedence()}).
     */
    public int precedence() {
        return precedence;
    }

    /** Whether the operator groups right-to-left (only {@code ^}). */
    public boolean isRightAssociative() {
        return this == POW;
    }

    /** {@code && ||}. */
    public boolean isLogical() {
        return this == AND || this == OR;
    }

    /** {@code = !=}. */
    public boolean isEquality() {
        return this == EQ || this == NEQ;
    }

    /** {@code < <= > >=}. */
    public boolean isOrdering() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }

    /** {@code =~ !~}. */
    public boolean isRegex() {
        return this == REGEX || this == NOT_REGEX;
    }

    /** Any operator producing a boolean from two values: equality, ordering or regex. */
    public boolean isComparison() {
        return isEquality() || isOrdering() || isRegex();
    }

    /** {@code + - * / % ^}. */
    public boolean isArithmetic() {
        return precedence >= 3;
    }

    /**
     * The operator that gives the same result with the operands swapped ({@code <} becomes
     * {@code >}); {@code null} for operators that cannot be swapped ({@code - / % ^ =~ !~}).
     */
    public BinaryOperator mirrored() {
        return switch (this) {
            case LT -> GT;
            case LTE -> GTE;
            case GT -> LT;
            case GTE -> LTE;
            case EQ, NEQ, AND, OR, ADD, MUL -> this;
            case SUB, DIV, MOD, POW, REGEX, NOT_REGEX -> null;
        };
    }
}
