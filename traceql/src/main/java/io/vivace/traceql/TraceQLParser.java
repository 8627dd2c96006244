package io.vivace.traceql;

import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.parser.TraceQLLexer;
import java.util.Objects;
import java.util.function.Function;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/**
 * Parses TraceQL text into the immutable syntax tree. Every syntax error — lexical, grammatical or
 * found while building the tree — is one {@link TraceQLParseException} with line, column and
 * offending token; nothing is recovered silently. Parsing does not validate types: use
 * {@link TraceQL#compile(String)} for parse plus validation.
 *
 * <p>Thread-safe: each call uses its own lexer and parser (ANTLR shares only its prediction cache).
 */
public final class TraceQLParser {
    private TraceQLParser() {
    }

    /**
     * Parses a whole query.
     *
     * @throws TraceQLParseException if the text is not syntactically valid TraceQL
     */
    public static Query parse(String query) {
        return parseWithPositions(query).query();
    }

    /**
     * Parses a whole query and keeps the source position of its nodes.
     *
     * @throws TraceQLParseException if the text is not syntactically valid TraceQL
     */
    public static ParsedQuery parseWithPositions(String query) {
        io.vivace.traceql.parser.TraceQLParser.RootContext tree;
        try {
            tree = run(query, io.vivace.traceql.parser.TraceQLParser::root);
        } catch (TraceQLParseException rootError) {
            throw furthest(query, rootError);
        }
        // Errors found while building the tree are precise already: no retry for them.
        AstBuilder builder = new AstBuilder();
        Query q = builder.root(tree);
        return new ParsedQuery(q, builder.positions());
    }

    /**
     * Parses text that must be exactly one spanset filter {@code { ... }}, e.g. the {@code q}
     * parameter of the v2 trace-by-ID API.
     *
     * @throws TraceQLParseException if the text is anything else
     */
    public static SpansetFilter parseSpansetFilter(String text) {
        AstBuilder builder = new AstBuilder();
        return run(text, p -> builder.filter(p.filterOnly().filter()));
    }

    /**
     * Parses text that must be exactly one attribute or intrinsic ({@code resource.service.name},
     * {@code .foo}, {@code span:name}, {@code status}), e.g. the tag name of the v2 tag-values API.
     *
     * @throws TraceQLParseException if the text is anything else
     */
    public static FieldReference parseFieldReference(String text) {
        AstBuilder builder = new AstBuilder();
        return run(text, p -> builder.fieldReference(p.fieldReferenceOnly().fieldReference()));
    }

    /**
     * When the whole query fails, ANTLR may report the error while still choosing between "search"
     * and "metrics arithmetic", with a vague expectation. Parsing each form on its own and keeping
     * the error that got furthest gives the position and expectation of the form the user meant.
     */
    private static TraceQLParseException furthest(String query, TraceQLParseException rootError) {
        TraceQLParseException best = rootError;
        for (boolean search : new boolean[] {true, false}) {
            try {
                run(query, p -> search ? p.searchQuery() : p.metricsMathQuery());
            } catch (TraceQLParseException e) {
                if (e.line() > best.line() || e.line() == best.line() && e.column() > best.column()) {
                    best = e;
                }
            }
        }
        return best;
    }

    /** Sets up a lexer and parser that stop at the first error, then builds with {@code build}. */
    private static <T> T run(String text, Function<io.vivace.traceql.parser.TraceQLParser, T> build) {
        Objects.requireNonNull(text, "text");
        TraceQLLexer lexer = new TraceQLLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(SyntaxErrors.INSTANCE);
        io.vivace.traceql.parser.TraceQLParser parser =
                new io.vivace.traceql.parser.TraceQLParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(SyntaxErrors.INSTANCE);
        return build.apply(parser);
    }
}
