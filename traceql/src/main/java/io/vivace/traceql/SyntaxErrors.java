package io.vivace.traceql;

import io.vivace.traceql.parser.TraceQLLexer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * The only error listener of the lexer and parser: the first error of any kind becomes a
 * {@link TraceQLParseException} and stops parsing, so ANTLR never recovers silently. The message
 * names the offending token and, in words, what could have come instead.
 */
final class SyntaxErrors extends BaseErrorListener {
    static final SyntaxErrors INSTANCE = new SyntaxErrors();

    private SyntaxErrors() {
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        if (offendingSymbol instanceof Token token) {
            throw AstBuilder.error(token, describe(token, expected(recognizer, e)));
        }
        // The lexer has a catch-all rule, so this is not expected; keep ANTLR's wording.
        throw new TraceQLParseException(msg, line, charPositionInLine + 1, "");
    }

    private static IntervalSet expected(Recognizer<?, ?> recognizer, RecognitionException e) {
        try {
            if (e != null && e.getExpectedTokens() != null) {
                return e.getExpectedTokens();
            }
            if (recognizer instanceof Parser parser) {
                return parser.getExpectedTokens();
            }
        } catch (RuntimeException ignored) {
            // Computing the expectation is best effort; the position and token are what matter.
        }
        return new IntervalSet();
    }

    private static String describe(Token token, IntervalSet expected) {
        String problem = switch (token.getType()) {
            case Token.EOF -> "unexpected end of input";
            case TraceQLLexer.UNTERMINATED_STRING, TraceQLLexer.UNTERMINATED_RAW_STRING -> "literal not terminated";
            case TraceQLLexer.UNTERMINATED_COMMENT -> "comment not terminated";
            case TraceQLLexer.INCOMPLETE_ATTRIBUTE -> "attribute name missing after '" + token.getText() + "'";
            case TraceQLLexer.ERROR_CHAR -> "unexpected character '" + token.getText() + "'";
            default -> "unexpected token '" + token.getText() + "'";
        };
        if (token.getType() == TraceQLLexer.UNTERMINATED_STRING || token.getType() == TraceQLLexer.UNTERMINATED_RAW_STRING
                || token.getType() == TraceQLLexer.UNTERMINATED_COMMENT
                || token.getType() == TraceQLLexer.INCOMPLETE_ATTRIBUTE) {
            return problem;
        }
        List<String> words = words(expected);
        if (words.isEmpty()) {
            return problem;
        }
        if (words.size() == 1) {
            return problem + ", expected " + words.get(0);
        }
        return problem + ", expected one of " + String.join(", ", words.subList(0, words.size() - 1))
                + " or " + words.get(words.size() - 1);
    }

    /** Human words for the expected token types, most useful first, without repeats. */
    private static List<String> words(IntervalSet expected) {
        List<String> words = new ArrayList<>();
        for (int type : expected.toList()) {
            String word = word(type);
            if (word != null && !words.contains(word)) {
                words.add(word);
            }
        }
        words.sort(Comparator.comparingInt(SyntaxErrors::rank));
        if (words.size() > 8) {
            List<String> first = new ArrayList<>(words.subList(0, 7));
            first.add("others");
            return first;
        }
        return words;
    }

    private static int rank(String word) {
        if (word.equals("a value")) {
            return 0;
        }
        if (word.startsWith("an attribute")) {
            return 1;
        }
        if (word.startsWith("'")) {
            return 3;
        }
        return word.equals("end of input") ? 9 : 5;
    }

    private static String word(int type) {
        return switch (type) {
            case Token.EOF -> "end of input";
            case TraceQLLexer.STRING, TraceQLLexer.RAW_STRING, TraceQLLexer.INT, TraceQLLexer.FLOAT,
                 TraceQLLexer.DURATION, TraceQLLexer.TRUE, TraceQLLexer.FALSE, TraceQLLexer.OK,
                 TraceQLLexer.ERROR, TraceQLLexer.UNSET, TraceQLLexer.UNSPECIFIED, TraceQLLexer.INTERNAL,
                 TraceQLLexer.SERVER, TraceQLLexer.CLIENT, TraceQLLexer.PRODUCER, TraceQLLexer.CONSUMER,
                 TraceQLLexer.MIN_INT, TraceQLLexer.MAX_INT, TraceQLLexer.NIL -> "a value";
            case TraceQLLexer.ATTRIBUTE, TraceQLLexer.KW_DURATION, TraceQLLexer.NAME, TraceQLLexer.STATUS,
                 TraceQLLexer.STATUS_MESSAGE, TraceQLLexer.KIND, TraceQLLexer.PARENT, TraceQLLexer.ROOT_NAME,
                 TraceQLLexer.ROOT_SERVICE_NAME, TraceQLLexer.TRACE_DURATION, TraceQLLexer.NESTED_SET_LEFT,
                 TraceQLLexer.NESTED_SET_RIGHT, TraceQLLexer.NESTED_SET_PARENT, TraceQLLexer.TRACE_SCOPE,
                 TraceQLLexer.SPAN_SCOPE, TraceQLLexer.EVENT_SCOPE, TraceQLLexer.LINK_SCOPE,
                 TraceQLLexer.INSTRUMENTATION_SCOPE -> "an attribute or intrinsic";
            case TraceQLLexer.ID, TraceQLLexer.TRACE_ID, TraceQLLexer.SPAN_ID, TraceQLLexer.PARENT_ID,
                 TraceQLLexer.CHILD_COUNT, TraceQLLexer.ROOT_SERVICE, TraceQLLexer.TIME_SINCE_START,
                 TraceQLLexer.VERSION -> "an intrinsic name";
            case TraceQLLexer.COUNT, TraceQLLexer.AVG, TraceQLLexer.MIN, TraceQLLexer.MAX, TraceQLLexer.SUM ->
                    "an aggregate";
            case TraceQLLexer.RATE, TraceQLLexer.COUNT_OVER_TIME, TraceQLLexer.MIN_OVER_TIME,
                 TraceQLLexer.MAX_OVER_TIME, TraceQLLexer.AVG_OVER_TIME, TraceQLLexer.SUM_OVER_TIME,
                 TraceQLLexer.QUANTILE_OVER_TIME, TraceQLLexer.HISTOGRAM_OVER_TIME, TraceQLLexer.COMPARE ->
                    "a metrics function";
            case TraceQLLexer.IDENT -> null; // only accepted to report "unknown identifier" precisely
            case TraceQLLexer.EQ, TraceQLLexer.NEQ, TraceQLLexer.LT, TraceQLLexer.LTE, TraceQLLexer.GT,
                 TraceQLLexer.GTE, TraceQLLexer.RE, TraceQLLexer.NRE, TraceQLLexer.PLUS, TraceQLLexer.MINUS,
                 TraceQLLexer.STAR, TraceQLLexer.SLASH, TraceQLLexer.MOD, TraceQLLexer.POW, TraceQLLexer.AND,
                 TraceQLLexer.OR, TraceQLLexer.NOT, TraceQLLexer.TILDE, TraceQLLexer.DESC, TraceQLLexer.ANCE,
                 TraceQLLexer.NOT_CHILD, TraceQLLexer.NOT_PARENT, TraceQLLexer.NOT_DESC, TraceQLLexer.NOT_ANCE,
                 TraceQLLexer.UNION_CHILD, TraceQLLexer.UNION_PARENT, TraceQLLexer.UNION_DESC,
                 TraceQLLexer.UNION_ANCE, TraceQLLexer.UNION_SIBLING -> "an operator";
            default -> {
                String literal = TraceQLLexer.VOCABULARY.getLiteralName(type);
                yield literal != null ? literal : TraceQLLexer.VOCABULARY.getDisplayName(type);
            }
        };
    }
}
