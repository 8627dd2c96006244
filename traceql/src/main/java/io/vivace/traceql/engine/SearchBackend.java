package io.vivace.traceql.engine;

import java.util.List;

/**
 * Where the query-frontend gets its search work: implemented by the querier (blocks and ingesters),
 * wired in-process in single-binary mode.
 */
public interface SearchBackend {
    /**
     * The jobs covering one tenant's data in a time range.
     *
     * @param startNanos range start, 0 = unbounded
     * @param endNanos range end, 0 = unbounded
     * @param blocks whether stored blocks are searched (false: recent data only)
     * @param targetBytesPerJob a block larger than this is split into several jobs of about this size
     */
    List<SearchJob> jobs(String tenant, long startNanos, long endNanos, boolean blocks, long targetBytesPerJob);
}
