/**
 * The querier: runs lookups over stored blocks and over the ingesters' recent data. It keeps a
 * per-tenant list of blocks, refreshed every {@code storage.trace.blocklist_poll}, so no query
 * lists the bucket.
 */
package io.vivace.querier;
