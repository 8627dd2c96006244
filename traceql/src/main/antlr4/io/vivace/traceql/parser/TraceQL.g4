/*
 * TraceQL, as accepted by Grafana Tempo (see shared/docs/traceql.md, "the spec").
 *
 * The grammar is deliberately a little looser than Tempo's LALR grammar where ANTLR's ALL(*)
 * prediction makes that natural; AstBuilder then enforces the remaining syntactic rules
 * (the wrapped-pipeline commitment rule of spec 4.1, nil placement, constant folding errors,
 * unknown identifiers) and reports them as parse errors with a position. Precedence is encoded
 * by the order of the alternatives of the left-recursive rules: the first alternative binds
 * tightest (see RATIONALE.md).
 */
grammar TraceQL;

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * A whole query: a search pipeline (optionally fed to a metrics function), or metrics arithmetic,
 * then hints. A query starting with '{' is decided on its first token, so errors inside it are
 * reported where they happen; the two alternatives are also entry points of their own
 * (searchQuery, metricsMathQuery) so that TraceQLParser can report the furthest error.
 */
root
    : searchQuery
    | metricsMathQuery
    ;

searchQuery
    : pipeline (PIPE metricsFunction secondStage*)? hints* EOF
    ;

metricsMathQuery
    : metricsExpr secondStage* hints* EOF
    ;

/** Exactly one spanset filter, e.g. the v2 trace-by-ID {@code q} parameter. */
filterOnly
    : filter EOF
    ;

/** Exactly one attribute or intrinsic, e.g. a v2 tag-values {@code tagName}. */
fieldReferenceOnly
    : fieldReference EOF
    ;

// ---------------------------------------------------------------------------------------------
// Search pipelines
// ---------------------------------------------------------------------------------------------

pipeline
    : stage (PIPE stage)*
    ;

stage
    : spansetExpr                                               # spansetStage
    | scalarFilter                                              # scalarFilterStage
    | BY LPAREN fieldExpr RPAREN                                # groupByStage
    | COALESCE LPAREN RPAREN                                    # coalesceStage
    | SELECT LPAREN fieldReference (COMMA fieldReference)* RPAREN  # selectStage
    ;

// Loosest last: structural operators bind tighter than && and ||, both left-associative.
spansetExpr
    : spansetExpr op=(GT | LT | DESC | ANCE | TILDE | NOT_CHILD | NOT_PARENT | NOT_DESC
                     | NOT_ANCE | NRE | UNION_CHILD | UNION_PARENT | UNION_DESC
                     | UNION_ANCE | UNION_SIBLING) spansetExpr  # spansetOperation
    | spansetExpr op=(AND | OR) spansetExpr                     # spansetOperation
    | LPAREN pipeline RPAREN                                    # spansetParen
    | filter                                                    # spansetFilter
    ;

filter
    : LBRACE fieldExpr? RBRACE
    ;

// ---------------------------------------------------------------------------------------------
// Scalar filters (aggregates compared with constants)
// ---------------------------------------------------------------------------------------------

scalarFilter
    : aggregateExpr op=(EQ | NEQ | LT | LTE | GT | GTE) aggregateExpr
    ;

aggregateExpr
    : MINUS aggregateExpr                                       # aggregateNegate
    | <assoc=right> aggregateExpr op=POW aggregateExpr          # aggregateBinary
    | aggregateExpr op=(STAR | SLASH | MOD) aggregateExpr       # aggregateBinary
    | aggregateExpr op=(PLUS | MINUS) aggregateExpr             # aggregateBinary
    | LPAREN aggregateExpr RPAREN                               # aggregateParen
    | LPAREN pipeline PIPE aggregate RPAREN                     # aggregatePipeline
    | aggregate                                                 # aggregateCall
    | number                                                    # aggregateNumber
    ;

aggregate
    : COUNT LPAREN RPAREN
    | fn=(AVG | MIN | MAX | SUM) LPAREN fieldExpr RPAREN
    ;

number
    : INT
    | FLOAT
    | DURATION
    ;

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

metricsFunction
    : fn=(RATE | COUNT_OVER_TIME) LPAREN RPAREN byList?         # metricsCount
    | fn=(MIN_OVER_TIME | MAX_OVER_TIME | SUM_OVER_TIME | AVG_OVER_TIME | HISTOGRAM_OVER_TIME)
        LPAREN fieldReference RPAREN byList?                    # metricsOverAttribute
    | QUANTILE_OVER_TIME LPAREN fieldReference (COMMA quantile)+ RPAREN byList?  # metricsQuantile
    | COMPARE LPAREN filter (COMMA topN=INT (COMMA from=INT COMMA to=INT)?)? RPAREN  # metricsCompare
    ;

quantile
    : INT
    | FLOAT
    ;

byList
    : BY LPAREN fieldReference (COMMA fieldReference)* RPAREN
    ;

secondStage
    : PIPE fn=(TOPK | BOTTOMK) LPAREN INT RPAREN                # topK
    | op=(EQ | NEQ | LT | LTE | GT | GTE) metricsExpr           # seriesFilter
    ;

// Unary minus binds tightest here (spec 8.4: "-1 * (q)" is (-1) * q); it is only legal on
// constants, which AstBuilder checks.
metricsExpr
    : MINUS metricsExpr                                         # metricsNegate
    | metricsExpr op=(STAR | SLASH) metricsExpr                 # metricsBinary
    | metricsExpr op=(PLUS | MINUS) metricsExpr                 # metricsBinary
    | LPAREN metricsExpr RPAREN                                 # metricsParen
    | LPAREN pipeline PIPE metricsFunction secondStage* RPAREN  # metricsWrapped
    | number                                                    # metricsNumber
    ;

// ---------------------------------------------------------------------------------------------
// Hints
// ---------------------------------------------------------------------------------------------

hints
    : WITH LPAREN hint (COMMA hint)* RPAREN
    ;

hint
    : IDENT EQ staticValue
    ;

// ---------------------------------------------------------------------------------------------
// Field expressions (inside {}, by(), aggregates). First alternative binds tightest:
//   ^ (right)  >  * / %  >  prefix !  >  prefix -  >  + -  >  comparisons  >  && ||
// ---------------------------------------------------------------------------------------------

fieldExpr
    : <assoc=right> fieldExpr op=POW fieldExpr                  # fieldBinary
    | fieldExpr op=(STAR | SLASH | MOD) fieldExpr               # fieldBinary
    | NOT fieldExpr                                             # fieldNot
    | MINUS fieldExpr                                           # fieldNegate
    | fieldExpr op=(PLUS | MINUS) fieldExpr                     # fieldBinary
    | fieldExpr op=(EQ | NEQ | LT | LTE | GT | GTE | RE | NRE) fieldExpr  # fieldBinary
    | fieldExpr op=(AND | OR) fieldExpr                         # fieldBinary
    | LPAREN fieldExpr RPAREN                                   # fieldParen
    | staticValue                                               # fieldStatic
    | NIL                                                       # fieldNil
    | fieldReference                                            # fieldRef
    | IDENT                                                     # fieldUnknownIdentifier
    ;

staticValue
    : STRING | RAW_STRING | INT | FLOAT | DURATION | TRUE | FALSE
    | OK | ERROR | UNSET
    | UNSPECIFIED | INTERNAL | SERVER | CLIENT | PRODUCER | CONSUMER
    | MIN_INT | MAX_INT
    ;

fieldReference
    : ATTRIBUTE                                                 # attributeReference
    | word=(KW_DURATION | NAME | STATUS | STATUS_MESSAGE | KIND | PARENT | ROOT_NAME
           | ROOT_SERVICE_NAME | TRACE_DURATION | NESTED_SET_LEFT | NESTED_SET_RIGHT
           | NESTED_SET_PARENT)                                 # intrinsicReference
    | TRACE_SCOPE word=(KW_DURATION | ROOT_NAME | ROOT_SERVICE | ID)  # scopedIntrinsicReference
    | SPAN_SCOPE word=(KW_DURATION | NAME | KIND | STATUS | STATUS_MESSAGE | ID | PARENT_ID
                      | CHILD_COUNT)                            # scopedIntrinsicReference
    | EVENT_SCOPE word=(NAME | TIME_SINCE_START)                # scopedIntrinsicReference
    | LINK_SCOPE word=(TRACE_ID | SPAN_ID)                      # scopedIntrinsicReference
    | INSTRUMENTATION_SCOPE word=(NAME | VERSION)               # scopedIntrinsicReference
    ;

// =============================================================================================
// Lexer. Whitespace is exactly space, TAB, CR and LF (spec 2.1).
// =============================================================================================

WS              : [ \t\r\n]+ -> skip ;
LINE_COMMENT    : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT   : '/*' .*? '*/' -> skip ;
// Never accepted by the parser: they exist so that the error message can say what is wrong.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;

// Multi-character operators first is not needed (ANTLR takes the longest match), but keeps
// the list readable next to spec 2.2.
AND             : '&&' ;
OR              : '||' ;
UNION_DESC      : '&>>' ;
UNION_ANCE      : '&<<' ;
UNION_CHILD     : '&>' ;
UNION_PARENT    : '&<' ;
UNION_SIBLING   : '&~' ;
NOT_DESC        : '!>>' ;
NOT_ANCE        : '!<<' ;
NOT_CHILD       : '!>' ;
NOT_PARENT      : '!<' ;
NEQ             : '!=' ;
NRE             : '!~' ;
RE              : '=~' ;
GTE             : '>=' ;
LTE             : '<=' ;
DESC            : '>>' ;
ANCE            : '<<' ;
EQ              : '=' ;
GT              : '>' ;
LT              : '<' ;
NOT             : '!' ;
TILDE           : '~' ;
PLUS            : '+' ;
MINUS           : '-' ;
STAR            : '*' ;
SLASH           : '/' ;
MOD             : '%' ;
POW             : '^' ;
PIPE            : '|' ;
LBRACE          : '{' ;
RBRACE          : '}' ;
LPAREN          : '(' ;
RPAREN          : ')' ;
COMMA           : ',' ;

// Value keywords
TRUE            : 'true' ;
FALSE           : 'false' ;
NIL             : 'nil' ;
OK              : 'ok' ;
ERROR           : 'error' ;
UNSET           : 'unset' ;
UNSPECIFIED     : 'unspecified' ;
INTERNAL        : 'internal' ;
SERVER          : 'server' ;
CLIENT          : 'client' ;
PRODUCER        : 'producer' ;
CONSUMER        : 'consumer' ;
MIN_INT         : 'minInt' ;
MAX_INT         : 'maxInt' ;

// Intrinsic words (some only legal after a scope colon)
KW_DURATION     : 'duration' ;
NAME            : 'name' ;
STATUS          : 'status' ;
STATUS_MESSAGE  : 'statusMessage' ;
KIND            : 'kind' ;
CHILD_COUNT     : 'childCount' ;
ROOT_NAME       : 'rootName' ;
ROOT_SERVICE_NAME : 'rootServiceName' ;
ROOT_SERVICE    : 'rootService' ;
TRACE_DURATION  : 'traceDuration' ;
NESTED_SET_LEFT : 'nestedSetLeft' ;
NESTED_SET_RIGHT : 'nestedSetRight' ;
NESTED_SET_PARENT : 'nestedSetParent' ;
PARENT          : 'parent' ;
ID              : 'id' ;
TRACE_ID        : 'traceID' ;
SPAN_ID         : 'spanID' ;
PARENT_ID       : 'parentID' ;
TIME_SINCE_START : 'timeSinceStart' ;
VERSION         : 'version' ;

// Functions and clauses
COUNT           : 'count' ;
AVG             : 'avg' ;
MIN             : 'min' ;
MAX             : 'max' ;
SUM             : 'sum' ;
BY              : 'by' ;
COALESCE        : 'coalesce' ;
SELECT          : 'select' ;
RATE            : 'rate' ;
COUNT_OVER_TIME : 'count_over_time' ;
MIN_OVER_TIME   : 'min_over_time' ;
MAX_OVER_TIME   : 'max_over_time' ;
AVG_OVER_TIME   : 'avg_over_time' ;
SUM_OVER_TIME   : 'sum_over_time' ;
QUANTILE_OVER_TIME : 'quantile_over_time' ;
HISTOGRAM_OVER_TIME : 'histogram_over_time' ;
COMPARE         : 'compare' ;
TOPK            : 'topk' ;
BOTTOMK         : 'bottomk' ;
WITH            : 'with' ;

// Scoped intrinsics: the colon touches the scope word; whitespace after it is skipped (quirk).
TRACE_SCOPE     : 'trace:' ;
SPAN_SCOPE      : 'span:' ;
EVENT_SCOPE     : 'event:' ;
LINK_SCOPE      : 'link:' ;
INSTRUMENTATION_SCOPE : 'instrumentation:' ;

// Attribute references are one token: prefix plus name (spec 2.7). The name runs until
// whitespace or one of { } ( ) = ~ ! < > & | ^ , and may contain double-quoted segments.
// An unscoped name may not start with a digit ('.5' is a float). AstBuilder splits prefix and
// name, resolves 'parent.span.'/'parent.resource.' and unescapes the quoted segments.
ATTRIBUTE
    : '.' (ATTR_FIRST_UNSCOPED | ATTR_QUOTED) ATTR_PART*
    | ('span.' | 'resource.' | 'event.' | 'link.' | 'instrumentation.' | 'parent.') ATTR_PART+
    ;
// A prefix with nothing usable after it, e.g. 'span.' followed by a space.
INCOMPLETE_ATTRIBUTE
    : 'span.' | 'resource.' | 'event.' | 'link.' | 'instrumentation.' | 'parent.' | '.'
    ;

fragment ATTR_PART : ATTR_CHAR | ATTR_QUOTED ;
fragment ATTR_CHAR : ~[ \t\r\n{}()=~!<>&|^,"] ;
fragment ATTR_FIRST_UNSCOPED : ~[ \t\r\n{}()=~!<>&|^,"0-9] ;
fragment ATTR_QUOTED : '"' ( '\\' . | ~["\\] )* '"' ;

// Numbers and durations (spec 2.4, 2.5). DURATION is a superset of Prometheus and Go duration
// syntax; AstBuilder checks the exact rules and converts to nanoseconds.
DURATION        : DURATION_NUMBER DURATION_UNIT (DURATION_NUMBER DURATION_UNIT)* ;
FLOAT
    : DIGITS '.' DIGITS? EXPONENT?
    | '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT             : DIGITS ;

fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment DURATION_NUMBER : DIGITS ('.' DIGITS?)? | '.' DIGITS ;
fragment DURATION_UNIT : 'ns' | 'us' | '\u00B5s' | 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y' ;

// Strings: permissive escapes here, exact Go escape rules in AstBuilder ("invalid char escape").
STRING          : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
RAW_STRING      : '`' ~'`'* '`' ;
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\\r\n] )* ;
UNTERMINATED_RAW_STRING : '`' ~'`'* ;

IDENT           : [a-zA-Z_] [a-zA-Z0-9_]* ;

// Anything else is a token the parser never accepts, so the error names the character.
ERROR_CHAR      : . ;
