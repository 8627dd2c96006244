package io.vivace.traceql.ast;

/**
 * The operators between two spanset expressions (spec 7.6). {@code &&}/{@code ||} are logical;
 * the others are structural and return spans of the right-hand side, relative to the tree
 * positions of the left-hand side's spans.
 */
public enum SpansetOperator {
    /** {@code &&}: both sides non-empty; union of their spans. */
    AND("&&"),
    /** {@code ||}: either side non-empty; union of what matched. */
    OR("||"),
    /** {@code >}: right spans that are direct children of a left span. */
    CHILD(">"),
    /** {@code <}: right spans that are direct parents of a left span. */
    PARENT("<"),
    /** {@code >>}: right spans that are descendants of a left span. */
    DESCENDANT(">>"),
    /** {@code <<}: right spans that are ancestors of a left span. */
    ANCESTOR("<<"),
    /** {@code ~}: right spans that share a parent with a left span. */
    SIBLING("~"),
    /** {@code !>}: right spans that are not children of any left span. */
    NOT_CHILD("!>"),
    /** {@code !<}: right spans that are not parents of any left span. */
    NOT_PARENT("!<"),
    /** {@code !>>}: right spans that are not descendants of any left span. */
    NOT_DESCENDANT("!>>"),
    /** {@code !<<}: right spans that are not ancestors of any left span. */
    NOT_ANCESTOR("!<<"),
    /** {@code !~}: right spans that are not siblings of any left span. */
    NOT_SIBLING("!~"),
    /** {@code &>}: left and right spans taking part in a parent/child relation. */
    UNION_CHILD("&>"),
    /** {@code &<}: left and right spans taking part in a child/parent relation. */
    UNION_PARENT("&<"),
    /** {@code &>>}: left and right spans taking part in an ancestor/descendant relation. */
    UNION_DESCENDANT("&>>"),
    /** {@code &<<}: left and right spans taking part in a descendant/ancestor relation. */
    UNION_ANCESTOR("&<<"),
    /** {@code &~}: left and right spans taking part in a sibling relation. */
    UNION_SIBLING("&~");

    private final String symbol;

    SpansetOperator(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in TraceQL. */
    public String symbol() {
        return symbol;
    }

    /** Whether this is {@code &&} or {@code ||} (looser precedence than the structural operators). */
    public boolean isLogical() {
        return this == AND || this == OR;
    }

    /** Whether this is a structural operator ({@code >}, {@code !>>}, {@code &~}, ...). */
    public boolean isStructural() {
        return !isLogical();
    }
}
