package io.vivace.traceql.plan;

import io.vivace.traceql.TraceQL;
import io.vivace.traceql.TraceQLException;
import io.vivace.traceql.TraceQLParser;
import io.vivace.traceql.Validator;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.parser.TraceQLLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The filter the tag-name and tag-value APIs apply for their {@code q} parameter (api.md 3.10,
 * 3.12). Grafana sends the query being typed, often incomplete ({@code { resource.cluster = }}).
 * A query that is exactly one valid spanset filter is used as is ({@code &&} and {@code ||}
 * included); otherwise every complete {@code field op literal} matcher found in the text is kept and
 * they are combined with {@code &&}; with none, there is no filter.
 */
public final class AutocompleteFilter {
    private static final Pattern MATCHER_SHAPE = Pattern.compile("[^{}&|()]*?(=~|!~|!=|>=|<=|=|>|<)[^{}&|()]*");

    private AutocompleteFilter() {
    }

    /** The filter to apply, or empty for "no filtering". Never throws on bad input. */
    public static Optional<SpansetFilter> extract(String q) {
        if (q == null || q.isBlank()) {
            return Optional.empty();
        }
        try {
            Query query = TraceQL.compile(q);
            if (query.hints().isEmpty() && query.body() instanceof Pipeline p && p.stages().size() == 1
                    && p.stages().get(0) instanceof SpansetFilter f) {
                return f.expression().equals(io.vivace.traceql.ast.Static.TRUE) ? Optional.empty() : Optional.of(f);
            }
        } catch (TraceQLException e) {
            // Incomplete or not a single filter: fall back to the matchers.
        }
        FieldExpression combined = null;
        for (String matcher : matchers(q)) {
            try {
                SpansetFilter f = TraceQLParser.parseSpansetFilter("{ " + matcher + " }");
                Validator.validate(f);
                if (!(f.expression() instanceof BinaryOperation b) || !b.operator().isComparison()) {
                    continue;
                }
                combined = combined == null ? b : new BinaryOperation(BinaryOperator.AND, combined, b);
            } catch (TraceQLException e) {
                // Not a complete matcher; skip it.
            }
        }
        return Optional.ofNullable(combined).map(SpansetFilter::new);
    }

    /** Candidate matcher texts: the pieces between braces, parentheses, && and ||. */
    private static List<String> matchers(String q) {
        List<String> pieces = new ArrayList<>();
        TraceQLLexer lexer = new TraceQLLexer(CharStreams.fromString(q));
        lexer.removeErrorListeners();
        StringBuilder current = new StringBuilder();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            switch (t.getType()) {
                case TraceQLLexer.LBRACE, TraceQLLexer.RBRACE, TraceQLLexer.LPAREN, TraceQLLexer.RPAREN,
                     TraceQLLexer.AND, TraceQLLexer.OR, TraceQLLexer.PIPE -> {
                    pieces.add(current.toString());
                    current.setLength(0);
                }
                default -> current.append(t.getText()).append(' ');
            }
        }
        pieces.add(current.toString());
        return pieces.stream().map(String::strip).filter(p -> MATCHER_SHAPE.matcher(p).matches()).toList();
    }
}
