package io.vivace.traceql.plan;

import java.util.List;

/**
 * The conditions of a field expression.
 *
 * @param conditions every condition found, in text order, without duplicates
 * @param allConditions whether the expression is exactly the conjunction of the conditions (so a
 *     span matching all of them in storage matches the filter, and no second pass is needed);
 *     true with no conditions means "every span"
 */
public record ConditionSet(List<Condition> conditions, boolean allConditions) {
    /** Copies the list. */
    public ConditionSet {
        conditions = List.copyOf(conditions);
    }
}
