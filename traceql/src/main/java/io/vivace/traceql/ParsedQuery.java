package io.vivace.traceql;

import io.vivace.traceql.ast.Query;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed query and where its nodes came from in the text, so that validation errors can point
 * at the offending expression. Positions are kept outside the tree so that trees compare equal
 * regardless of layout.
 */
public final class ParsedQuery {
    private final Query query;
    private final Map<Object, SourcePosition> positions;

    ParsedQuery(Query query, Map<Object, SourcePosition> positions) {
        this.query = Objects.requireNonNull(query, "query");
        this.positions = Collections.unmodifiableMap(new IdentityHashMap<>(positions));
    }

    /** The syntax tree. */
    public Query query() {
        return query;
    }

    /** Where a node of this tree (by identity) starts in the text, if recorded. */
    public Optional<SourcePosition> positionOf(Object node) {
        return Optional.ofNullable(positions.get(node));
    }
}
