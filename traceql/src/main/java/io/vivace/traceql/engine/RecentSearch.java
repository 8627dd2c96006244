package io.vivace.traceql.engine;

/**
 * An ingester's recent data (not yet in the block list) as a search source; the querier asks every
 * ingester for it. Implemented by the ingester role, wired in-process in single-binary mode.
 */
@FunctionalInterface
public interface RecentSearch {
    /** The tenant's recent traces; a source that yields nothing when the tenant has none. */
    TraceSource recentTraces(String tenant);
}
